"""In-app notifications for staff: reminders of interviews, decisions and assessments falling due, optionally
e-mailed."""
