"""The pool's users: accounts, attributes, the directory and its index, filters and listing, groups,
memberships, import jobs, and federated (external provider) users."""
