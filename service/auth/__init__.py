"""Who is calling and what each may do: API keys, the admin token, owners of resources."""
