"""The COSM C360 adapter: manifest, folder layout, stitch and trim."""
