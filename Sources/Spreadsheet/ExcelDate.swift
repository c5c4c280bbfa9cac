/// Excel's date serial numbers: days since 1899-12-30, the fraction being the time of day. Dates written as
/// these numbers with a date format are real date cells.
public enum ExcelDate {
    /// The serial of a calendar date, or nil when it lies outside Excel's range (1900-01-01 ... 9999-12-31).
    public static func serial(year: Int, month: Int, day: Int) -> Double? {
        guard (1900...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        return Double(daysFromCivil(year: year, month: month, day: day) - daysFromCivil(year: 1899, month: 12, day: 30))
    }

    /// The serial of a wall-clock time stamp (already in the time zone it is to be shown in).
    public static func serial(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Double) -> Double? {
        guard let days = serial(year: year, month: month, day: day),
              (0...24).contains(hour), (0...59).contains(minute), second >= 0, second < 61 else { return nil }
        return days + (Double(hour) * 3600 + Double(minute) * 60 + second) / 86_400
    }

    /// Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
