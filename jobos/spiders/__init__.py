"""JobOS spiders."""
