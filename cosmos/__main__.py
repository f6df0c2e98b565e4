"""Run the command line as ``python -m cosmos``."""

from cosmos.cli import main

if __name__ == "__main__":
    main()
