"""``ostoja demo``: the three demo centers (Toruń, Słupsk, Gdańsk) from the seeds, with their configuration,
demo staff in every role, one platform operator, one regional partner, and the modules' demo data.

Idempotent: each center is onboarded with the same parameters (an existing one is adopted), accounts that
exist are left alone, and the module seeders create only what is missing. A second run says that nothing
changed. Every demo account uses the one password ``DEMO_PASSWORD`` (printed at the end)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string
from django_tenants.utils import schema_context
from rich.table import Table

from ostoja.tenants.management.commands._console import console_for, service_errors

# Documented in README.md; passes the password validators (length, not common, not numeric, not similar).
DEMO_PASSWORD = "ostoja-demo-2025"  # noqa: S105  (a published demo password, never a real one)

DEMO_CENTERS = [
    {
        "slug": "torun",
        "name": "Miejski Ośrodek Pomocy Rodzinie w Toruniu",
        "short_name": "MOPR Toruń",
        "kind": "MOPR",
        "city": "Toruń",
        "voivodeship": "kujawsko-pomorskie",
    },
    {
        "slug": "slupsk",
        "name": "Miejski Ośrodek Pomocy Rodzinie w Słupsku",
        "short_name": "MOPR Słupsk",
        "kind": "MOPR",
        "city": "Słupsk",
        "voivodeship": "pomorskie",
    },
    {
        "slug": "gdansk",
        "name": "Miejski Ośrodek Pomocy Rodzinie w Gdańsku",
        "short_name": "MOPR Gdańsk",
        "kind": "MOPR",
        "city": "Gdańsk",
        "voivodeship": "pomorskie",
    },
]

# username, roles, first name, last name, job title. Social workers (pracownik1…) are added per district.
DEMO_STAFF = [
    ("dyrektor", ["director"], "Danuta", "Dyrektorska", "Dyrektor"),
    ("zastepca", ["deputy_director"], "Zenon", "Zastępczy", "Zastępca dyrektora"),
    ("koordynator", ["foster_care_coordinator"], "Karolina", "Pieczowska", "Koordynator rodzinnej pieczy zastępczej"),
    ("projekty", ["project_coordinator"], "Piotr", "Projektowy", "Koordynator projektów"),
    ("swiadczenia", ["benefits_clerk"], "Beata", "Świadczeniowa", "Specjalista ds. świadczeń"),
    ("prawnik", ["legal_advisor"], "Leon", "Prawniczy", "Radca prawny"),
    ("audytor", ["auditor"], "Alicja", "Kontrolna", "Audytor wewnętrzny"),
    ("admin", ["administrator"], "Adam", "Administracyjny", "Administrator systemu"),
]
SOCIAL_WORKER_NAMES = [
    ("Sylwia", "Socjalna"),
    ("Paweł", "Pomocny"),
    ("Renata", "Rejonowa"),
    ("Tomasz", "Terenowy"),
    ("Ewa", "Empatyczna"),
    ("Jan", "Życzliwy"),
]

# Seed 002 lists the regional partners of the Pomeranian streetworking project; Słupsk and Gdańsk are ours.
PARTNERSHIP_NAME = "Partnerstwo pomorskie"
PARTNERSHIP_CENTERS = ["slupsk", "gdansk"]
PARTNERSHIP_DESCRIPTION = (
    "Regionalni partnerzy projektu streetworkingu (seed 002): Towarzystwo Pomocy im. Św. Brata Alberta "
    "Koło Gdańskie, Regionalne Centrum Informacji i Wspomagania Organizacji Pozarządowych, Pomorskie Forum "
    "Na Rzecz Wychodzenia z Bezdomności, Pomorska Izba Rzemieślnicza, Uniwersytet Gdański, MOPS w Sopocie, "
    "MOPS w Gdańsku, MOPS w Gdyni, Samorząd Województwa Pomorskiego, MOPR w Słupsku."
)
PLATFORM_ACCOUNTS = [
    {"username": "operator", "role": "operator", "first_name": "Olga", "last_name": "Operatorska"},
    {"username": "partner", "role": "partner", "first_name": "Patryk", "last_name": "Partnerski"},
]


@dataclass
class DemoReport:
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    logins: dict[str, list[str]] = field(default_factory=dict)  # host key → usernames
    domains: dict[str, str] = field(default_factory=dict)  # slug → host

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def demo_email(username: str, slug: str) -> str:
    return f"{username}@{slug}.demo.ostoja.example.org"


def _demo_config(slug: str, report: DemoReport) -> dict | None:
    try:
        from ostoja.tenants.config_loader import demo_config
    except ImportError:
        report.notes.append(f"{slug}: the configuration loader is not installed; no configuration loaded")
        return None
    return demo_config(slug)


def seed_center_staff(center, report: DemoReport) -> None:
    """Demo staff in every role, inside the center's schema (call within schema_context)."""
    from django.contrib.auth import get_user_model

    from ostoja.platform.staff.services import create_staff_member
    from ostoja.tenants.configuration.models import District

    User = get_user_model()
    slug = center.schema_name
    staff = list(DEMO_STAFF)
    districts = list(District.objects.order_by("code"))
    if districts:
        for number, district in enumerate(districts, start=1):
            first, last = SOCIAL_WORKER_NAMES[(number - 1) % len(SOCIAL_WORKER_NAMES)]
            title = f"Pracownik socjalny — {district.name}"
            staff.append((f"pracownik{number}", ["social_worker"], first, last, title, [district.code]))
    else:  # no districts: one social worker serves the whole city
        first, last = SOCIAL_WORKER_NAMES[0]
        staff.append(("pracownik1", ["social_worker"], first, last, "Pracownik socjalny", []))

    usernames = []
    for entry in staff:
        username, roles, first_name, last_name, job_title = entry[:5]
        district_codes = entry[5] if len(entry) > 5 else []
        usernames.append(username)
        if User.objects.filter(username=username).exists():
            continue
        create_staff_member(
            None,
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=demo_email(username, slug),
            roles=roles,
            districts=district_codes,
            job_title=job_title,
            password=DEMO_PASSWORD,
        )
        report.changes.append(f"{slug}: staff account {username} created")
    report.logins[slug] = usernames


def seed_platform(report: DemoReport) -> None:
    """The partnership, one operator and one partner, in the public schema."""
    from django.contrib.auth import get_user_model

    from ostoja.platform.accounts.services import create_partnership, create_platform_account
    from ostoja.tenants.models import Partnership

    User = get_user_model()
    partnership = Partnership.objects.filter(name=PARTNERSHIP_NAME).first()
    if partnership is None:
        partnership = create_partnership(
            None, name=PARTNERSHIP_NAME, centers=PARTNERSHIP_CENTERS, description=PARTNERSHIP_DESCRIPTION
        )
        report.changes.append(f"partnership {PARTNERSHIP_NAME} created")
    for account in PLATFORM_ACCOUNTS:
        if not User.objects.filter(username=account["username"]).exists():
            create_platform_account(
                None,
                username=account["username"],
                email=demo_email(account["username"], "platform"),
                role=account["role"],
                partnership=partnership if account["role"] == "partner" else None,
                password=DEMO_PASSWORD,
                first_name=account["first_name"],
                last_name=account["last_name"],
            )
            report.changes.append(f"platform account {account['username']} created")
    report.logins["platform"] = [a["username"] for a in PLATFORM_ACCOUNTS]


def run_seeders(center, report: DemoReport) -> None:
    """The modules' demo seeders (settings.OSTOJA_DEMO_SEEDERS), inside the center's schema."""
    for path in settings.OSTOJA_DEMO_SEEDERS:
        try:
            seed = import_string(path)
        except ImportError:
            report.notes.append(f"{center.schema_name}: seeder {path} is not installed; skipped")
            continue
        with schema_context(center.schema_name):
            counts = seed(center)
        if isinstance(counts, dict):
            made = {k: v for k, v in counts.items() if isinstance(v, int) and v}
            if made:
                summary = ", ".join(f"{v} {k}" for k, v in made.items())
                report.changes.append(f"{center.schema_name}: {path.rsplit('.', 3)[-3]} demo data: {summary}")


def seed_demo(progress=None) -> DemoReport:
    """Everything ``ostoja demo`` does; returns what changed. ``progress(step, done, total)`` as in onboarding."""
    from ostoja.tenants.onboarding import onboard_center

    report = DemoReport()
    total = len(DEMO_CENTERS) * 3 + 1
    done = 0

    def step(label):
        nonlocal done
        done += 1
        if progress is not None:
            progress(label, done, total)

    centers = []
    for spec in DEMO_CENTERS:
        result = onboard_center(**spec, config=_demo_config(spec["slug"], report))
        if result.created:
            report.changes.append(f"{spec['slug']}: center created")
        report.changes += [f"{spec['slug']}: {s}" for s in result.steps if "created" not in s and "unchanged" not in s]
        report.domains[spec["slug"]] = result.domains[0] if result.domains else ""
        centers.append(result.center)
        step(f"{spec['slug']}: center")
        with schema_context(spec["slug"]):
            seed_center_staff(result.center, report)
        step(f"{spec['slug']}: staff")
    seed_platform(report)
    step("platform accounts")
    for center in centers:
        run_seeders(center, report)
        step(f"{center.schema_name}: module data")
    return report


class Command(BaseCommand):
    help = "Seed the demo centers (Toruń, Słupsk, Gdańsk), demo staff, an operator and a partner. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="port printed in the URLs (default 8000)")

    def handle(self, *args, **opts):
        console = console_for(self)
        from ostoja.tenants.management.commands._console import progress_bar

        with service_errors(), progress_bar(console, "Demo") as progress:
            report = seed_demo(progress)

        if report.changed:
            console.print(f"[green]Demo data seeded[/green] ({len(report.changes)} changes):")
            for change in report.changes:
                console.print(f"  • {change}")
        else:
            console.print("Demo data is already in place; nothing changed.")
        for note in report.notes:
            console.print(f"  [yellow]note[/yellow]: {note}")
        print_logins(console, report, port=opts["port"])


def url(host: str, port: int | None) -> str:
    return f"http://{host}{'' if port in (None, 80) else f':{port}'}/"


def print_logins(console, report: DemoReport, *, port: int | None) -> None:
    table = Table(title="Demo hosts and logins", show_lines=False)
    table.add_column("where")
    table.add_column("URL")
    table.add_column("logins")
    for spec in DEMO_CENTERS:
        host = report.domains.get(spec["slug"]) or f"{spec['slug']}.{settings.BASE_DOMAIN}"
        table.add_row(spec["short_name"], url(host, port), ", ".join(report.logins.get(spec["slug"], [])))
    table.add_row("platform", url(settings.BASE_DOMAIN, port), ", ".join(report.logins.get("platform", [])))
    console.print(table)
    console.print(f"Every demo account's password: [bold]{DEMO_PASSWORD}[/bold]")
