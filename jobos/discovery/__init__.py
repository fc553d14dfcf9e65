"""Discovery: from a company name (and country) to its career page.

Pure modules, no Scrapy requests: `names` (legal suffixes, slug variants, name/domain
similarity), `search` (DuckDuckGo HTML endpoint: request parameters, result parsing, blocking),
`guess` (domain guesses, careers links on a homepage), `rank` (candidate and probe judging).
The spider's DiscoveryMixin (jobos/spiders/discovery.py) drives them.
"""
