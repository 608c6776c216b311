package schedules_test

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/schedules"
)

// days expands "2025-01-28..2025-02-04" and single days "2025-01-01" into dates.
func days(spans ...string) []string {
	var out []string
	for _, s := range spans {
		from, to, ok := strings.Cut(s, "..")
		if !ok {
			to = from
		}
		a, err1 := time.Parse(time.DateOnly, from)
		b, err2 := time.Parse(time.DateOnly, to)
		if err1 != nil || err2 != nil || b.Before(a) {
			panic("bad span " + s)
		}
		for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
			out = append(out, d.Format(time.DateOnly))
		}
	}
	return out
}

func fest(name string, total int, spans ...string) schedules.Festival {
	return schedules.Festival{Name: name, Days: days(spans...), Total: total}
}

// work gives f the make-up working days its item names.
func work(f schedules.Festival, days ...string) schedules.Festival {
	f.Workdays = days
	return f
}

// The official arrangements, as the notices state them (the later amendments of 2019's
// Labour Day and 2020's Spring Festival were separate notices: see testdata/notices/SOURCES.md).
var wantNotices = map[int]schedules.Notice{
	2017: {Year: 2017, Holidays: []schedules.Festival{
		fest("元旦", 0, "2017-01-01", "2017-01-02"), // 1月2日（星期一）补休
		work(fest("春节", 7, "2017-01-27..2017-02-02"), "2017-01-22", "2017-02-04"),
		work(fest("清明节", 3, "2017-04-02..2017-04-04"), "2017-04-01"),
		fest("劳动节", 0, "2017-05-01"),
		work(fest("端午节", 3, "2017-05-28..2017-05-30"), "2017-05-27"),
		work(fest("中秋节、国庆节", 8, "2017-10-01..2017-10-08"), "2017-09-30"),
	}, Workdays: days("2017-01-22", "2017-02-04", "2017-04-01", "2017-05-27", "2017-09-30")},
	2018: {Year: 2018, Holidays: []schedules.Festival{
		fest("元旦", 0, "2018-01-01"),
		work(fest("春节", 7, "2018-02-15..2018-02-21"), "2018-02-11", "2018-02-24"),
		work(fest("清明节", 3, "2018-04-05..2018-04-07"), "2018-04-08"),
		work(fest("劳动节", 3, "2018-04-29..2018-05-01"), "2018-04-28"),
		fest("端午节", 0, "2018-06-18"),
		fest("中秋节", 0, "2018-09-24"),
		work(fest("国庆节", 7, "2018-10-01..2018-10-07"), "2018-09-29", "2018-09-30"),
	}, Workdays: days("2018-02-11", "2018-02-24", "2018-04-08", "2018-04-28", "2018-09-29", "2018-09-30")},
	2019: {Year: 2019, Holidays: []schedules.Festival{
		work(fest("元旦", 3, "2018-12-30..2019-01-01"), "2018-12-29"),
		work(fest("春节", 7, "2019-02-04..2019-02-10"), "2019-02-02", "2019-02-03"),
		fest("清明节", 0, "2019-04-05"),
		fest("劳动节", 0, "2019-05-01"),
		fest("端午节", 0, "2019-06-07"),
		fest("中秋节", 0, "2019-09-13"),
		work(fest("国庆节", 7, "2019-10-01..2019-10-07"), "2019-09-29", "2019-10-12"),
	}, Workdays: days("2018-12-29", "2019-02-02", "2019-02-03", "2019-09-29", "2019-10-12")},
	2020: {Year: 2020, Holidays: []schedules.Festival{
		fest("元旦", 1, "2020-01-01"),
		work(fest("春节", 7, "2020-01-24..2020-01-30"), "2020-01-19", "2020-02-01"),
		fest("清明节", 3, "2020-04-04..2020-04-06"),
		work(fest("劳动节", 5, "2020-05-01..2020-05-05"), "2020-04-26", "2020-05-09"),
		work(fest("端午节", 3, "2020-06-25..2020-06-27"), "2020-06-28"),
		work(fest("国庆节、中秋节", 8, "2020-10-01..2020-10-08"), "2020-09-27", "2020-10-10"),
	}, Workdays: days("2020-01-19", "2020-02-01", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10")},
	2021: {Year: 2021, Holidays: []schedules.Festival{
		fest("元旦", 3, "2021-01-01..2021-01-03"),
		work(fest("春节", 7, "2021-02-11..2021-02-17"), "2021-02-07", "2021-02-20"),
		fest("清明节", 3, "2021-04-03..2021-04-05"),
		work(fest("劳动节", 5, "2021-05-01..2021-05-05"), "2021-04-25", "2021-05-08"),
		fest("端午节", 3, "2021-06-12..2021-06-14"),
		work(fest("中秋节", 3, "2021-09-19..2021-09-21"), "2021-09-18"),
		work(fest("国庆节", 7, "2021-10-01..2021-10-07"), "2021-09-26", "2021-10-09"),
	}, Workdays: days("2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09")},
	2022: {Year: 2022, Holidays: []schedules.Festival{
		fest("元旦", 3, "2022-01-01..2022-01-03"),
		work(fest("春节", 7, "2022-01-31..2022-02-06"), "2022-01-29", "2022-01-30"),
		work(fest("清明节", 3, "2022-04-03..2022-04-05"), "2022-04-02"),
		work(fest("劳动节", 5, "2022-04-30..2022-05-04"), "2022-04-24", "2022-05-07"),
		fest("端午节", 3, "2022-06-03..2022-06-05"),
		fest("中秋节", 3, "2022-09-10..2022-09-12"),
		work(fest("国庆节", 7, "2022-10-01..2022-10-07"), "2022-10-08", "2022-10-09"),
	}, Workdays: days("2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09")},
	2023: {Year: 2023, Holidays: []schedules.Festival{
		fest("元旦", 3, "2022-12-31..2023-01-02"),
		work(fest("春节", 7, "2023-01-21..2023-01-27"), "2023-01-28", "2023-01-29"),
		fest("清明节", 1, "2023-04-05"),
		work(fest("劳动节", 5, "2023-04-29..2023-05-03"), "2023-04-23", "2023-05-06"),
		work(fest("端午节", 3, "2023-06-22..2023-06-24"), "2023-06-25"),
		work(fest("中秋节、国庆节", 8, "2023-09-29..2023-10-06"), "2023-10-07", "2023-10-08"),
	}, Workdays: days("2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08")},
	2024: {Year: 2024, Holidays: []schedules.Festival{
		fest("元旦", 0, "2024-01-01"),
		work(fest("春节", 8, "2024-02-10..2024-02-17"), "2024-02-04", "2024-02-18"),
		work(fest("清明节", 3, "2024-04-04..2024-04-06"), "2024-04-07"),
		work(fest("劳动节", 5, "2024-05-01..2024-05-05"), "2024-04-28", "2024-05-11"),
		fest("端午节", 0, "2024-06-10"),
		work(fest("中秋节", 3, "2024-09-15..2024-09-17"), "2024-09-14"),
		work(fest("国庆节", 7, "2024-10-01..2024-10-07"), "2024-09-29", "2024-10-12"),
	}, Workdays: days("2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12")},
	2025: {Year: 2025, Holidays: []schedules.Festival{
		fest("元旦", 1, "2025-01-01"),
		work(fest("春节", 8, "2025-01-28..2025-02-04"), "2025-01-26", "2025-02-08"),
		fest("清明节", 3, "2025-04-04..2025-04-06"),
		work(fest("劳动节", 5, "2025-05-01..2025-05-05"), "2025-04-27"),
		fest("端午节", 3, "2025-05-31..2025-06-02"),
		work(fest("国庆节、中秋节", 8, "2025-10-01..2025-10-08"), "2025-09-28", "2025-10-11"),
	}, Workdays: days("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")},
	2026: {Year: 2026, Holidays: []schedules.Festival{
		work(fest("元旦", 3, "2026-01-01..2026-01-03"), "2026-01-04"),
		work(fest("春节", 9, "2026-02-15..2026-02-23"), "2026-02-14", "2026-02-28"),
		fest("清明节", 3, "2026-04-04..2026-04-06"),
		work(fest("劳动节", 5, "2026-05-01..2026-05-05"), "2026-05-09"),
		fest("端午节", 3, "2026-06-19..2026-06-21"),
		fest("中秋节", 3, "2026-09-25..2026-09-27"),
		work(fest("国庆节", 7, "2026-10-01..2026-10-07"), "2026-09-20", "2026-10-10"),
	}, Workdays: days("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")},
}

// noticeYears are the years with a notice in testdata, oldest first. There is no 2027:
// its notice had not been found when these were collected (2026-12-02).
func noticeYears() []int {
	var ys []int
	for y := range wantNotices {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

func readNotice(t testing.TB, year int) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("testdata/notices/%d.txt", year))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustParseNotice(t testing.TB, text string) *schedules.Notice {
	t.Helper()
	n, err := schedules.ParseNotice(text)
	if err != nil {
		t.Fatalf("ParseNotice: %v", err)
	}
	return n
}

func checkNotice(t *testing.T, got *schedules.Notice, want schedules.Notice) {
	t.Helper()
	if got.Year != want.Year {
		t.Errorf("Year = %d, want %d", got.Year, want.Year)
	}
	if len(got.Holidays) != len(want.Holidays) {
		t.Errorf("%d festivals, want %d: %+v", len(got.Holidays), len(want.Holidays), got.Holidays)
	}
	for i := range min(len(got.Holidays), len(want.Holidays)) {
		if g, w := got.Holidays[i], want.Holidays[i]; !reflect.DeepEqual(g, w) {
			t.Errorf("festival %d:\n got  %+v\n want %+v", i+1, g, w)
		}
	}
	if !reflect.DeepEqual(got.Workdays, want.Workdays) {
		t.Errorf("Workdays:\n got  %v\n want %v", got.Workdays, want.Workdays)
	}
	var each []string // the items' make-up days are the notice's, each under one item
	for _, f := range got.Holidays {
		each = append(each, f.Workdays...)
	}
	slices.Sort(each)
	if !slices.Equal(each, got.Workdays) {
		t.Errorf("the items' make-up days %v are not the notice's %v", each, got.Workdays)
	}
}

func TestParseNotice_PublishedNotices(t *testing.T) {
	for _, year := range noticeYears() {
		t.Run(fmt.Sprint(year), func(t *testing.T) {
			checkNotice(t, mustParseNotice(t, readNotice(t, year)), wantNotices[year])
		})
	}
}

// halfWidth folds full-width punctuation to ASCII, as many reprints do.
func halfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0xFF01 && r <= 0xFF5E {
			return r - 0xFEE0
		}
		return r
	}, s)
}

// fullWidthDigits writes every ASCII digit full-width (０-９).
func fullWidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r + 0xFEE0
		}
		return r
	}, s)
}

// The same notice reads the same however a reprint or a paste has mangled its form.
func TestParseNotice_Forms(t *testing.T) {
	forms := map[string]func(string) string{
		"half-width punctuation": halfWidth,
		"full-width digits":      fullWidthDigits,
		"CRLF line ends":         func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") },
		"paragraphs run together": func(s string) string {
			return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u3000", " ")), " ")
		},
		"星期 for 周":    func(s string) string { return strings.ReplaceAll(s, "（周", "（星期") },
		"周 for 星期":    func(s string) string { return strings.ReplaceAll(s, "（星期", "（周") },
		"星期天 for 星期日": func(s string) string { return strings.ReplaceAll(s, "星期日", "星期天") },
	}
	for _, year := range noticeYears() {
		for name, form := range forms {
			t.Run(fmt.Sprintf("%d/%s", year, name), func(t *testing.T) {
				checkNotice(t, mustParseNotice(t, form(readNotice(t, year))), wantNotices[year])
			})
		}
	}
}

// The forms that the published notices do not show, in one made-up notice: a New Year
// range written without years that starts in the December before, make-up days in two
// sentences and on a line of their own, a weekday in parentheses as 星期天.
func TestParseNotice_OtherForms(t *testing.T) {
	text := `关于2023年部分节假日安排的通知

一、元旦：12月31日（星期六）至1月2日（星期一）放假调休，共3天。

二、春节：1月21日至27日放假调休，共7天。1月28日（星期六）上班。1月29日（星期天）上班。

三、劳动节：4月29日至5月3日放假调休，共5天。
4月23日（周日）、5月6日（周六）上班。

四、端午节：6月22日放假，与周末连休。

节假日期间，各地区、各部门要妥善安排好值班。
5月20日（星期六）上班。
`
	checkNotice(t, mustParseNotice(t, text), schedules.Notice{Year: 2023, Holidays: []schedules.Festival{
		fest("元旦", 3, "2022-12-31..2023-01-02"),
		work(fest("春节", 7, "2023-01-21..2023-01-27"), "2023-01-28", "2023-01-29"),
		work(fest("劳动节", 5, "2023-04-29..2023-05-03"), "2023-04-23", "2023-05-06"),
		fest("端午节", 0, "2023-06-22"),
	}, Workdays: days("2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06")}) // nothing after the closing lines
}

// The year comes from the title, else from "现将2024年", else from the items' dates.
func TestParseNotice_YearFallback(t *testing.T) {
	body := func(year int) string {
		text := readNotice(t, year)
		return text[strings.Index(text, "一、"):]
	}
	for _, tt := range []struct {
		name string
		text string
		year int
	}{
		{"preamble", "经国务院批准，现将2024年元旦……通知如下。\n" + body(2024), 2024},
		{"written dates", body(2023), 2023}, // 2022年12月31日至2023年1月2日: the later year
		{"written dates", body(2022), 2022},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkNotice(t, mustParseNotice(t, tt.text), wantNotices[tt.year])
		})
	}
}

// The 2026 notice gives exactly the built-in 2026 calendar.
func TestNotice_CalendarLists2026(t *testing.T) {
	years, holidays, workdays := mustParseNotice(t, readNotice(t, 2026)).CalendarLists()
	if !reflect.DeepEqual(years, []int{2026}) {
		t.Fatalf("years = %v", years)
	}
	cal, err := schedules.NewCalendar(years, holidays, workdays)
	if err != nil {
		t.Fatal(err)
	}
	def := schedules.DefaultCalendar()
	for d := cst("2026-01-01 09:00"); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		if got, want := cal.IsWorkingDay(d), def.IsWorkingDay(d); got != want {
			t.Errorf("%s: working day %v from the notice, %v built in", d.Format(time.DateOnly), got, want)
		}
	}
}

func TestNotice_CalendarListsLeavesOutTheYearBefore(t *testing.T) {
	years, holidays, _ := mustParseNotice(t, readNotice(t, 2023)).CalendarLists()
	if !reflect.DeepEqual(years, []int{2023}) || slices.Contains(holidays, "2022-12-31") || !slices.Contains(holidays, "2023-01-01") {
		t.Errorf("CalendarLists = %v %v", years, holidays)
	}
	if _, err := schedules.NewCalendar(mustParseNotice(t, readNotice(t, 2023)).CalendarLists()); err != nil {
		t.Error(err)
	}
}

// Every notice, merged oldest first, makes one valid calendar that keeps the days the
// notices place in the December before (2018-12-29..31 from the 2019 notice).
func TestMergeNotice_AllYears(t *testing.T) {
	var (
		years              []int
		holidays, workdays []string
	)
	for _, y := range noticeYears() {
		years, holidays, workdays = schedules.MergeNotice(years, holidays, workdays, mustParseNotice(t, readNotice(t, y)))
	}
	if !reflect.DeepEqual(years, noticeYears()) {
		t.Errorf("years = %v", years)
	}
	var wantOff, wantWork []string
	for _, y := range noticeYears() {
		for _, f := range wantNotices[y].Holidays {
			wantOff = append(wantOff, f.Days...)
		}
		wantWork = append(wantWork, wantNotices[y].Workdays...)
	}
	slices.Sort(wantOff)
	slices.Sort(wantWork)
	if !reflect.DeepEqual(holidays, wantOff) {
		t.Errorf("holidays:\n got  %v\n want %v", holidays, wantOff)
	}
	if !reflect.DeepEqual(workdays, wantWork) {
		t.Errorf("workdays:\n got  %v\n want %v", workdays, wantWork)
	}
	cal, err := schedules.NewCalendar(years, holidays, workdays)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		day  string
		want bool
	}{
		{"2018-12-28 09:00", true},  // Friday
		{"2018-12-29 09:00", true},  // Saturday make-up day, from the 2019 notice
		{"2018-12-31 09:00", false}, // Monday, New Year 2019
		{"2022-12-30 09:00", true},  // Friday
		{"2023-01-02 09:00", false}, // Monday, New Year 2023
		{"2023-01-03 09:00", true},
		{"2025-01-26 09:00", true},  // Sunday make-up day
		{"2025-01-28 09:00", false}, // Spring Festival
		{"2025-02-08 09:00", true},  // Saturday make-up day
		{"2025-10-08 09:00", false}, // National Day and Mid-Autumn
		{"2025-10-11 09:00", true},
	} {
		if got := cal.IsWorkingDay(cst(tt.day)); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.day, got, tt.want)
		}
	}
}

func TestMergeNotice_Idempotent(t *testing.T) {
	n := mustParseNotice(t, readNotice(t, 2025))
	years := []int{2024, 2026}
	holidays := []string{"2024-10-01", "2026-01-01"}
	workdays := []string{"2024-10-12", "2026-01-04"}
	y1, h1, w1 := schedules.MergeNotice(years, holidays, workdays, n)
	y2, h2, w2 := schedules.MergeNotice(y1, h1, w1, n)
	if !reflect.DeepEqual(y1, y2) || !reflect.DeepEqual(h1, h2) || !reflect.DeepEqual(w1, w2) {
		t.Errorf("merging twice differs:\n %v %v %v\n %v %v %v", y1, h1, w1, y2, h2, w2)
	}
	if !reflect.DeepEqual(y1, []int{2024, 2025, 2026}) {
		t.Errorf("years = %v", y1)
	}
	// The other years are untouched; the inputs are not modified.
	for _, s := range []string{"2024-10-01", "2026-01-01"} {
		if !slices.Contains(h1, s) {
			t.Errorf("holiday %s of another year was dropped", s)
		}
	}
	if !slices.Contains(w1, "2024-10-12") || !slices.Contains(w1, "2026-01-04") {
		t.Errorf("workdays of other years were dropped: %v", w1)
	}
	if !reflect.DeepEqual(years, []int{2024, 2026}) || len(holidays) != 2 || len(workdays) != 2 {
		t.Error("MergeNotice modified its inputs")
	}
}

// Merging replaces the year: a stale or wrong entry of that year goes, and a corrected
// notice replaces the first one.
func TestMergeNotice_Replaces(t *testing.T) {
	stale := []string{"2025-03-03", "2025-01-01", "2024-12-31"} // 2024-12-31: governed by the 2025 notice
	years, holidays, workdays := schedules.MergeNotice([]int{2024, 2025}, stale, []string{"2025-03-08"}, mustParseNotice(t, readNotice(t, 2025)))
	if !reflect.DeepEqual(years, []int{2024, 2025}) {
		t.Errorf("years = %v", years)
	}
	if slices.Contains(holidays, "2025-03-03") || slices.Contains(holidays, "2024-12-31") || slices.Contains(workdays, "2025-03-08") {
		t.Errorf("stale entries kept: %v %v", holidays, workdays)
	}
	want := wantNotices[2025]
	var off []string
	for _, f := range want.Holidays {
		off = append(off, f.Days...)
	}
	if !reflect.DeepEqual(holidays, off) || !reflect.DeepEqual(workdays, want.Workdays) {
		t.Errorf("merged:\n %v\n %v", holidays, workdays)
	}

	// A corrected notice (Labour Day one day shorter, the make-up day moved) replaces it.
	fixed := strings.Replace(readNotice(t, 2025), "5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。",
		"5月1日（周四）至4日（周日）放假调休，共4天。4月27日（周日）上班。", 1)
	_, h2, w2 := schedules.MergeNotice(years, holidays, workdays, mustParseNotice(t, fixed))
	if slices.Contains(h2, "2025-05-05") || !slices.Contains(h2, "2025-05-04") || !reflect.DeepEqual(w2, workdays) {
		t.Errorf("corrected notice not applied: %v %v", h2, w2)
	}
}

// A notice's days in the December before are kept when that year is configured, left
// out otherwise (NewCalendar refuses dates outside its years), and a later merge of
// the year before keeps them.
func TestMergeNotice_YearBefore(t *testing.T) {
	n2019 := mustParseNotice(t, readNotice(t, 2019))
	_, h, w := schedules.MergeNotice(nil, nil, nil, n2019)
	if slices.Contains(h, "2018-12-30") || slices.Contains(w, "2018-12-29") {
		t.Errorf("days of 2018 kept without 2018 configured: %v %v", h, w)
	}
	y, h, w := schedules.MergeNotice([]int{2018}, nil, nil, n2019)
	if !slices.Contains(h, "2018-12-30") || !slices.Contains(h, "2018-12-31") || !slices.Contains(w, "2018-12-29") {
		t.Errorf("days of 2018 dropped with 2018 configured: %v %v", h, w)
	}
	y, h, w = schedules.MergeNotice(y, h, w, mustParseNotice(t, readNotice(t, 2018)))
	if !slices.Contains(h, "2018-12-30") || !slices.Contains(w, "2018-12-29") || !slices.Contains(h, "2018-02-15") {
		t.Errorf("merging 2018 dropped the 2019 notice's December: %v %v", h, w)
	}
	if _, err := schedules.NewCalendar(y, h, w); err != nil {
		t.Error(err)
	}
}

func TestMergeNotice_Nil(t *testing.T) {
	y, h, w := schedules.MergeNotice([]int{2026, 2026}, []string{"2026-10-02", "2026-10-01"}, nil, nil)
	if !reflect.DeepEqual(y, []int{2026}) || !reflect.DeepEqual(h, []string{"2026-10-01", "2026-10-02"}) || len(w) != 0 {
		t.Errorf("MergeNotice(nil) = %v %v %v", y, h, w)
	}
}

// lineNo returns the 1-based number of the first line of text that contains s.
func lineNo(t *testing.T, text, s string) int {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("no line contains %q", s)
	return 0
}

func TestParseNotice_Refusals(t *testing.T) {
	n2026 := readNotice(t, 2026)
	edit := func(old, new string) string {
		if !strings.Contains(n2026, old) {
			panic("not in the 2026 notice: " + old)
		}
		return strings.Replace(n2026, old, new, 1)
	}
	for _, tt := range []struct {
		name   string
		text   string
		line   string   // a part of the line the message must name; "" for none
		zh, en []string // parts each message must hold
	}{
		{
			name: "wrong total",
			text: edit("放假调休，共9天", "放假调休，共8天"),
			line: "二、春节",
			zh:   []string{"共9天", "共8天"}, en: []string{"come to 9", "says 8"},
		},
		{
			name: "weekday mismatch",
			text: edit("1月1日（周四）", "1月1日（周五）"),
			line: "一、元旦",
			zh:   []string{"2026-01-01是周四", "不是通知所写的周五"}, en: []string{"2026-01-01 is a Thursday", "not a Friday"},
		},
		{
			name: "weekday mismatch on a range end",
			text: edit("至23日（农历正月初七、周一）", "至23日（农历正月初七、周二）"),
			line: "二、春节",
			zh:   []string{"2026-02-23是周一"}, en: []string{"2026-02-23 is a Monday"},
		},
		{
			name: "weekday mismatch on a make-up day",
			text: edit("5月9日（周六）上班", "5月9日（周日）上班"),
			line: "四、劳动节",
			zh:   []string{"2026-05-09是周六"}, en: []string{"2026-05-09 is a Saturday"},
		},
		{
			name: "make-up day on a Wednesday",
			text: edit("5月9日（周六）上班", "5月6日（周三）上班"),
			line: "四、劳动节",
			zh:   []string{"调休上班日", "2026-05-06", "周三", "不是周六或周日"}, en: []string{"2026-05-06", "Wednesday", "not a Saturday or Sunday"},
		},
		{
			name: "no year",
			text: "各省、自治区、直辖市人民政府：\n一、元旦：1月1日至3日放假调休，共3天。\n",
			zh:   []string{"找不到年份"}, en: []string{"names no year"},
		},
		{
			name: "item without a festival name",
			text: edit("三、清明节：", "三、清明节 "),
			line: "三、清明节",
			zh:   []string{"读不出节日名称"}, en: []string{"festival's name"},
		},
		{
			name: "dates in words",
			text: edit("4月4日（周六）至6日（周一）放假", "四月四日至六日放假"),
			line: "三、清明节",
			zh:   []string{"读不出日期"}, en: []string{"no date reads"},
		},
		{
			name: "no day off in an item",
			text: edit("4月4日（周六）至6日（周一）放假，共3天。", "另行通知。"),
			line: "三、清明节",
			zh:   []string{"“清明节”一项读不出任何放假日期"}, en: []string{`"清明节"`, "no day off"},
		},
		{
			name: "a date that does not exist",
			text: edit("2月28日（周六）上班", "2月30日（周六）上班"),
			line: "二、春节",
			zh:   []string{"“2月30日（周六）”不存在"}, en: []string{"does not exist"},
		},
		{
			name: "a date outside the year",
			text: edit("6月19日（周五）至21日（周日）放假", "2025年6月19日至21日放假"),
			line: "五、端午节",
			zh:   []string{"不在2026年内"}, en: []string{"not in 2026"},
		},
		{
			name: "a range backwards",
			text: edit("4月4日（周六）至6日（周一）放假", "4月6日至4日放假"),
			line: "三、清明节",
			zh:   []string{"结束日早于开始日"}, en: []string{"ends before it starts"},
		},
		{
			name: "a range too long",
			text: edit("4月4日（周六）至6日（周一）放假", "4月4日至5月6日放假"),
			line: "三、清明节",
			zh:   []string{"长达33天"}, en: []string{"spans 33 days"},
		},
		{
			name: "a day both off and working",
			text: edit("5月9日（周六）上班", "5月2日（周六）上班"),
			line: "四、劳动节",
			zh:   []string{"既列为放假日又列为上班日"}, en: []string{"both as a day off and as a working day"},
		},
		{
			name: "a day off twice",
			text: edit("9月25日（周五）至27日（周日）放假，共3天", "9月25日（周五）至10月1日（周四）放假，共7天"),
			line: "七、国庆节",
			zh:   []string{"已在“中秋节”一项中列为放假日"}, en: []string{`already a day off under "中秋节"`},
		},
		{
			name: "dates neither off nor working",
			text: edit("1月4日（周日）上班。", "1月4日（周日）调休。"),
			line: "一、元旦",
			zh:   []string{"读不出“1月4日（周日）”是放假日还是上班日"}, en: []string{"cannot tell whether"},
		},
		{
			name: "a day with no month",
			text: edit("一、元旦：1月1日（周四）至3日（周六）", "一、元旦：1日至3日"),
			line: "一、元旦",
			zh:   []string{"缺少月份"}, en: []string{"has no month"},
		},
		{
			name: "no items",
			text: "国务院办公厅关于2026年部分节假日安排的通知\n\n节假日期间，各地区、各部门要妥善安排好值班。\n",
			zh:   []string{"找不到任何节假日安排"}, en: []string{"no holiday item"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n, err := schedules.ParseNotice(tt.text)
			if err == nil {
				t.Fatalf("accepted: %+v", n)
			}
			if code := briefbot.ErrorCode(err); code != briefbot.EINVALID {
				t.Errorf("code = %q, want %q", code, briefbot.EINVALID)
			}
			zh, en := briefbot.ErrorMessage(err, briefbot.LangZH), briefbot.ErrorMessage(err, briefbot.LangEN)
			if tt.line != "" {
				no := lineNo(t, tt.text, tt.line)
				tt.zh = append(tt.zh, fmt.Sprintf("第%d行", no), tt.line)
				tt.en = append(tt.en, fmt.Sprintf("line %d", no), tt.line)
			}
			for _, part := range tt.zh {
				if !strings.Contains(zh, part) {
					t.Errorf("Chinese message lacks %q:\n%s", part, zh)
				}
			}
			for _, part := range tt.en {
				if !strings.Contains(en, part) {
					t.Errorf("English message lacks %q:\n%s", part, en)
				}
			}
		})
	}
}

// ParseNotice never panics, and what it accepts holds: real dates, make-up days on
// weekends, stated totals equal to the days read.
func FuzzParseNotice(f *testing.F) {
	for _, y := range noticeYears() {
		f.Add(readNotice(f, y))
	}
	f.Add("关于2023年部分节假日安排的通知\n一、元旦：12月31日至1月2日放假，共3天。")
	f.Fuzz(func(t *testing.T, text string) {
		n, err := schedules.ParseNotice(text)
		if err != nil {
			if briefbot.ErrorCode(err) != briefbot.EINVALID {
				t.Fatalf("error code %q: %v", briefbot.ErrorCode(err), err)
			}
			return
		}
		for _, s := range n.Workdays {
			d, err := time.Parse(time.DateOnly, s)
			if err != nil || (d.Weekday() != time.Saturday && d.Weekday() != time.Sunday) {
				t.Fatalf("workday %q", s)
			}
		}
		for _, fe := range n.Holidays {
			if len(fe.Days) == 0 || (fe.Total != 0 && fe.Total != len(fe.Days)) {
				t.Fatalf("festival %+v", fe)
			}
		}
		if _, err := schedules.NewCalendar(n.CalendarLists()); err != nil {
			t.Fatalf("CalendarLists do not make a calendar: %v", err)
		}
	})
}
