"""`python -m pressroom`: the same as the `pressroom` command."""

from .cli import main

if __name__ == "__main__":
    main()
