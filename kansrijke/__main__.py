import sys

from kansrijke.cli.main import main

sys.exit(main())
