"""Claims: built from a frozen encounter coding, scrubbed, and followed through their lifecycle."""
