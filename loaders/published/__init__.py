"""Published sources: agency files loaded through declarative mappings."""
