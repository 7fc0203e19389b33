"""The small library both services share: settings, problems, auth, logging, pagination,
money, database plumbing and HTTP middleware. It holds no ORM tables and no business rules."""
