/*
 * The peer of scripts/bench-xlsx: writes the same rows as scripts/bench-xlsx.d/01_rows.sql with libxlsxwriter
 * directly, in constant_memory mode: title, styled header, frozen panes, autofilter, column widths, the same
 * number formats. Usage: bench-xlsx-c ROWS FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <xlsxwriter.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s ROWS FILE\n", argv[0]); return 2; }
    long rows = atol(argv[1]);
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
    lxw_workbook *workbook = workbook_new_opt(argv[2], &options);
    if (!workbook) { fprintf(stderr, "cannot create %s\n", argv[2]); return 1; }
    lxw_worksheet *sheet = workbook_add_worksheet(workbook, "Rows");
    lxw_format *title = workbook_add_format(workbook);
    format_set_bold(title); format_set_font_size(title, 13);
    lxw_format *header = workbook_add_format(workbook);
    format_set_bold(header); format_set_pattern(header, LXW_PATTERN_SOLID); format_set_bg_color(header, 0xDDEBF7);
    format_set_bottom(header, LXW_BORDER_THIN);
    lxw_format *integer = workbook_add_format(workbook); format_set_num_format(integer, "#,##0");
    lxw_format *decimal = workbook_add_format(workbook); format_set_num_format(decimal, "#,##0.00");
    lxw_format *percent = workbook_add_format(workbook); format_set_num_format(percent, "0.0%");
    lxw_format *date = workbook_add_format(workbook); format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *datetime = workbook_add_format(workbook); format_set_num_format(datetime, "yyyy-mm-dd hh:mm");
    static const char *headers[] = {"Lot", "Garden", "Grade", "Invoice", "Bags", "Kg", "Value (kg)", "Share", "Made on", "Received at (UTC)"};
    static const double widths[] = {13, 11, 8, 12, 7, 11, 13, 9, 12, 20};
    static const char *grades[] = {"BOP", "FBOP", "OP", "PEKOE"};
    worksheet_write_string(sheet, 0, 0, "Benchmark rows", title);
    for (int c = 0; c < 10; c++) worksheet_write_string(sheet, 1, c, headers[c], header);
    char text[64];
    for (long i = 1; i <= rows; i++) {
        lxw_row_t r = (lxw_row_t)(i + 1);
        snprintf(text, sizeof text, "LOT-%07ld", i); worksheet_write_string(sheet, r, 0, text, NULL);
        snprintf(text, sizeof text, "Garden %ld", i % 97); worksheet_write_string(sheet, r, 1, text, NULL);
        worksheet_write_string(sheet, r, 2, grades[i % 4], NULL);
        snprintf(text, sizeof text, "INV-%ld", i * 7 % 100003); worksheet_write_string(sheet, r, 3, text, NULL);
        worksheet_write_number(sheet, r, 4, (double)(i % 1000), integer);
        worksheet_write_number(sheet, r, 5, (i % 100000) * 0.25, decimal);
        worksheet_write_number(sheet, r, 6, (i % 977) * 1.5, decimal);
        worksheet_write_number(sheet, r, 7, (i % 101) / 100.0, percent);
        worksheet_write_number(sheet, r, 8, 46023.0 + (i % 365), date);
        worksheet_write_number(sheet, r, 9, 46023.0 + i / 1440.0, datetime);
    }
    for (int c = 0; c < 10; c++) worksheet_set_column(sheet, c, c, widths[c], NULL);
    worksheet_freeze_panes(sheet, 2, 0);
    worksheet_autofilter(sheet, 1, 0, (lxw_row_t)(rows + 1), 9);
    lxw_error error = workbook_close(workbook);
    if (error != LXW_NO_ERROR) { fprintf(stderr, "%s\n", lxw_strerror(error)); return 1; }
    return 0;
}
