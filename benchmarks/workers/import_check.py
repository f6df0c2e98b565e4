"""Import ``cosmos.sdk`` and list which heavy optional modules came with it."""

from __future__ import annotations

import json
import sys

import cosmos.sdk

HEAVY_MODULES = ("av", "torch", "torchcodec", "numpy")


def main() -> None:
    del cosmos.sdk
    loaded = [name for name in HEAVY_MODULES if name in sys.modules]
    print(json.dumps({"heavy_modules": loaded}))


if __name__ == "__main__":
    main()
