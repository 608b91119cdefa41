"""PostgreSQL storage for several replicas on one database: pool, migrations and stores."""
