"""Packaging for the JobOS project: pip install -e . and scrapyd-deploy's egg both use it."""
from setuptools import find_packages, setup

setup(
    name="jobos",
    version="0.1.0",
    description="Find a company's career page, collect every open job, keep clean records.",
    packages=find_packages(include=["jobos", "jobos.*", "api", "api.*"]),
    package_data={
        "jobos": ["common-passwords.txt.gz"],
        "jobos.store": ["migrations/*.sql"],
        "jobos.llm": ["*.txt", "*.md"],
        "api": ["templates/*.html", "templates/**/*.html", "static/*", "static/**/*"],
    },
    include_package_data=True,
    python_requires=">=3.11",
    entry_points={
        "scrapy": ["settings = jobos.settings"],
        "console_scripts": ["jobos = jobos.cli:main"],
    },
)
