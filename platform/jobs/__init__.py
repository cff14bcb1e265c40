"""Background jobs: progress, result and failure of long work (onboarding, programme grants), and tasks that died."""
