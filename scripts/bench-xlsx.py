#!/usr/bin/python3
"""Python XlsxWriter (constant_memory) writing the rows of scripts/bench-xlsx.d/01_rows.sql, for the record.

Usage: bench-xlsx.py ROWS FILE
"""
import sys

import xlsxwriter

rows, path = int(sys.argv[1]), sys.argv[2]
book = xlsxwriter.Workbook(path, {"constant_memory": True, "use_zip64": True})
sheet = book.add_worksheet("Rows")
title = book.add_format({"bold": True, "font_size": 13})
header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
integer = book.add_format({"num_format": "#,##0"})
decimal = book.add_format({"num_format": "#,##0.00"})
percent = book.add_format({"num_format": "0.0%"})
date = book.add_format({"num_format": "yyyy-mm-dd"})
datetime = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
grades = ["BOP", "FBOP", "OP", "PEKOE"]
sheet.write_string(0, 0, "Benchmark rows", title)
for c, h in enumerate(["Lot", "Garden", "Grade", "Invoice", "Bags", "Kg", "Value (kg)", "Share", "Made on", "Received at (UTC)"]):
    sheet.write_string(1, c, h, header)
for c, w in enumerate([13, 11, 8, 12, 7, 11, 13, 9, 12, 20]):
    sheet.set_column(c, c, w)
for i in range(1, rows + 1):
    r = i + 1
    sheet.write_string(r, 0, "LOT-%07d" % i)
    sheet.write_string(r, 1, "Garden %d" % (i % 97))
    sheet.write_string(r, 2, grades[i % 4])
    sheet.write_string(r, 3, "INV-%d" % (i * 7 % 100003))
    sheet.write_number(r, 4, i % 1000, integer)
    sheet.write_number(r, 5, (i % 100000) * 0.25, decimal)
    sheet.write_number(r, 6, (i % 977) * 1.5, decimal)
    sheet.write_number(r, 7, (i % 101) / 100.0, percent)
    sheet.write_number(r, 8, 46023.0 + i % 365, date)
    sheet.write_number(r, 9, 46023.0 + i / 1440.0, datetime)
sheet.freeze_panes(2, 0)
sheet.autofilter(1, 0, rows + 1, 9)
book.close()
