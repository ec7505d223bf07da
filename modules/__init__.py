"""Domain modules of onemst. `engine` turns the declarations of the others into a platform."""
