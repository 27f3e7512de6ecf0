"""Loading input folders (CSV, xlsx, BODS) into a store."""
