#!/usr/bin/env python
from ettervern.cli import main

if __name__ == "__main__":
    main()
