"""One blueprint per resource: scrape, jobs, companies, auth (and users/audit), health/metrics."""
