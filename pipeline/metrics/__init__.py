"""Pure polars functions: canonical tables -> daily frames -> period metrics -> direction."""
