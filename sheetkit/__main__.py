"""python -m sheetkit"""

from .cli import cli

cli(prog_name="sheetkit")
