"""python -m sheetkit"""

from .cli import main

main()
