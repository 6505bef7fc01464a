"""casebook: compile a collection of selected innovation cases (创新案例) into a showcase
website, a printed anthology and the organisers' lists, and check it against its campaign's rules."""

__version__ = "0.1.0"
