"""Documents attached to records (scans of decisions, court orders, contracts), stored under centers/<schema>/."""
