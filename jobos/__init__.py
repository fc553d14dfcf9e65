"""JobOS: find a company's career page, collect every open job, keep clean records of them."""

__version__ = "0.1.0"
