// infra test fixture: stands in for a hashed Vite chunk
