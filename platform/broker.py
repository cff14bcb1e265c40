"""kombu's ``filesystem://`` transport with atomic writes — the broker Ostoja uses on one machine without Redis.

kombu's own ``Channel._put`` creates the message file under its final name and only then writes it; a worker
polling at that moment moves the still-empty file away, fails to decode it and the message is lost (seen in CI as
a task that never ran). Here the message is written under a name the poller ignores and renamed into place, so a
file with a message name is always complete. ``platform/celery_app.py`` maps the ``filesystem`` alias here."""

from __future__ import annotations

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"  # kombu's naming: it sorts by time
        final = os.path.join(self.data_folder_out, name)
        temporary = os.path.join(self.data_folder_out, f".{uuid.uuid4()}.writing")  # never matches "<queue>.msg"
        try:
            with open(temporary, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(temporary, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
