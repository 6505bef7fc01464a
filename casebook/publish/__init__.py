"""The publication layer: what each output may include, its assets, and the check before commit."""
