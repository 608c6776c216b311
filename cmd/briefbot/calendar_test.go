package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/config"
)

// importCLI runs `briefbot calendar import args...` with stdin and the environment env.
func importCLI(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"calendar", "import"}, args...), func(k string) string { return env[k] },
		strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

// exampleConfig writes the built-in example config to a new directory and returns its path.
func exampleConfig(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "org.yaml")
	if err := os.WriteFile(path, config.ExampleYAML(), 0o640); err != nil {
		t.Fatal(err)
	}
	return path
}

// noticeFile is the published notice of year, in schedules' testdata.
func noticeFile(year int) string {
	return filepath.Join("..", "..", "schedules", "testdata", "notices", fmt.Sprintf("%d.txt", year))
}

func noticeYears(t *testing.T) []int {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "..", "schedules", "testdata", "notices", "*.txt"))
	var ys []int
	for _, f := range files {
		var y int
		if _, err := fmt.Sscanf(filepath.Base(f), "%d.txt", &y); err == nil {
			ys = append(ys, y)
		}
	}
	if len(ys) < 10 {
		t.Fatalf("notices found: %v", ys)
	}
	return ys
}

// loadCalendar loads the config at path and returns whether each date is a working day.
func workingDay(t *testing.T, path string) func(day string) bool {
	t.Helper()
	c, err := config.Load(path)
	if err != nil {
		t.Fatalf("the config written does not load: %v", err)
	}
	return func(day string) bool {
		d, err := time.ParseInLocation(time.DateOnly, day, briefbot.DefaultLocation())
		if err != nil {
			t.Fatal(err)
		}
		if !c.Calendar.Covers(d.Year()) {
			t.Fatalf("the calendar does not cover %s (it covers %v)", day, c.Calendar.Years())
		}
		return c.Calendar.IsWorkingDay(d.Add(10 * time.Hour))
	}
}

// span expands "2025-01-28..2025-02-04" into its dates.
func span(s string) []string {
	from, to, _ := strings.Cut(s, "..")
	if to == "" {
		to = from
	}
	a, _ := time.Parse(time.DateOnly, from)
	b, _ := time.Parse(time.DateOnly, to)
	var out []string
	for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out
}

// What the notices themselves say, read from their text (not from the parser): the
// days off and the make-up working days of some festivals, and the line shown for it.
var noticeSays = []struct {
	year     int
	off      string   // a span of days off
	work     []string // make-up working days
	shown    string   // the festival's line as the clerk sees it
	festival string
}{
	// 2025 二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
	{2025, "2025-01-28..2025-02-04", []string{"2025-01-26", "2025-02-08"},
		"春节：1月28日（星期二）至2月4日（星期二）放假，共8天；1月26日（星期日）、2月8日（星期六）上班。", "春节"},
	// 2025 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
	{2025, "2025-10-01..2025-10-08", []string{"2025-09-28", "2025-10-11"},
		"国庆节、中秋节：10月1日（星期三）至10月8日（星期三）放假，共8天；9月28日（星期日）、10月11日（星期六）上班。", "国庆节、中秋节"},
	// 2026 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
	{2026, "2026-10-01..2026-10-07", []string{"2026-09-20", "2026-10-10"},
		"国庆节：10月1日（星期四）至10月7日（星期三）放假，共7天；9月20日（星期日）、10月10日（星期六）上班。", "国庆节"},
	// 2024 二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。
	{2024, "2024-02-10..2024-02-17", []string{"2024-02-04", "2024-02-18"},
		"春节：2月10日（星期六）至2月17日（星期六）放假，共8天；2月4日（星期日）、2月18日（星期日）上班。", "春节"},
	// 2021 六、中秋节：9月19日至21日放假调休，共3天。9月18日（星期六）上班。
	{2021, "2021-09-19..2021-09-21", []string{"2021-09-18"},
		"中秋节：9月19日（星期日）至9月21日（星期二）放假，共3天；9月18日（星期六）上班。", "中秋节"},
	// 2017 一、元旦：1月1日放假，1月2日（星期一）补休。
	{2017, "2017-01-01..2017-01-02", nil, "元旦：1月1日（星期日）至1月2日（星期一）放假，共2天。", "元旦"},
	// 2019 一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。
	{2019, "2019-01-01", nil, "元旦：2018年12月30日（星期日）至1月1日（星期二）放假，共3天；2018年12月29日（星期六）上班。", "元旦"},
}

// Each published notice goes into a copy of the example config: the clerk sees each
// festival, the file keeps every line it had and gains a calendar section that covers
// the year (and the built-in 2026), with the dates the notice states.
func TestCalendarImport_EachPublishedNotice(t *testing.T) {
	for _, year := range noticeYears(t) {
		t.Run(fmt.Sprint(year), func(t *testing.T) {
			path := exampleConfig(t)
			out, err := importCLI(t, nil, "", noticeFile(year), "--config", path, "--yes")
			if err != nil {
				t.Fatalf("import = %v\n%s", message(err), out)
			}
			if !strings.Contains(out, fmt.Sprintf("关于%d年部分节假日安排的通知", year)) || !strings.Contains(out, "已写入 "+path) || strings.Contains(out, "(是/否 y/n)") {
				t.Errorf("output:\n%s", out)
			}
			written, _ := os.ReadFile(path)
			if !bytes.HasPrefix(written, config.ExampleYAML()) || !bytes.Contains(written[len(config.ExampleYAML()):], []byte("\ncalendar:\n")) {
				t.Errorf("the example's lines changed, or no calendar was added:\n%s", written)
			}
			if bak, err := os.ReadFile(path + ".bak"); err != nil || !bytes.Equal(bak, config.ExampleYAML()) {
				t.Errorf("the previous file was not kept as .bak: %v", err)
			}
			working := workingDay(t, path)
			working("2026-10-01") // the built-in year is kept: Covers is checked
			for _, say := range noticeSays {
				if say.year != year {
					continue
				}
				if !strings.Contains(out, "  "+say.shown+"\n") {
					t.Errorf("%s is not shown as %q:\n%s", say.festival, say.shown, out)
				}
				for _, d := range span(say.off) {
					if working(d) {
						t.Errorf("%s (%s) is a working day; the notice gives it off", d, say.festival)
					}
				}
				for _, d := range say.work {
					if !working(d) {
						t.Errorf("%s (%s) is not a working day; the notice says 上班", d, say.festival)
					}
				}
			}
		})
	}
}

// Every notice imported into one config, oldest first: the calendar covers 2017-2026,
// keeps the days the 2019 notice puts in December 2018, and says what each notice says.
func TestCalendarImport_AllYearsIntoOneConfig(t *testing.T) {
	path := exampleConfig(t)
	years := noticeYears(t)
	for _, year := range years {
		out, err := importCLI(t, map[string]string{"BRIEFBOT_CONFIG": path}, "", noticeFile(year), "--yes")
		if err != nil {
			t.Fatalf("import %d = %v\n%s", year, message(err), out)
		}
		if year == 2026 && !strings.Contains(out, "无需写入") { // the built-in 2026 is the notice's
			t.Errorf("the 2026 notice changed the built-in 2026:\n%s", out)
		}
	}
	c, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c.Calendar.Years()); got != fmt.Sprint(years) {
		t.Errorf("years = %s; want %v", got, years)
	}
	working := workingDay(t, path)
	for _, say := range noticeSays {
		for _, d := range span(say.off) {
			if working(d) {
				t.Errorf("%s (%d %s) is a working day", d, say.year, say.festival)
			}
		}
		for _, d := range say.work {
			if !working(d) {
				t.Errorf("%s (%d %s) is not a working day", d, say.year, say.festival)
			}
		}
	}
	// 2019's 元旦 began in 2018, imported before it: 2018-12-29 is a make-up working day.
	for day, want := range map[string]bool{"2018-12-29": true, "2018-12-30": false, "2018-12-31": false, "2022-12-31": false, "2023-01-02": false} {
		if got := working(day); got != want {
			t.Errorf("working(%s) = %v; want %v", day, got, want)
		}
	}
	// The same notice again: nothing to write.
	before, _ := os.ReadFile(path)
	out, err := importCLI(t, nil, "", noticeFile(2025), "--config", path)
	if after, _ := os.ReadFile(path); err != nil || !strings.Contains(out, "无需写入") || !bytes.Equal(before, after) {
		t.Errorf("importing 2025 again = %v, changed %v:\n%s", err, !bytes.Equal(before, after), out)
	}
}

// A year already in the calendar is replaced by the notice's, and the clerk is told so,
// with what changes; the other years stay as they were.
func TestCalendarImport_ReplacesAYear(t *testing.T) {
	path := filepath.Join(t.TempDir(), "org.yaml")
	old := string(config.ExampleYAML()) + `
# 手工录入的日历 / typed in by hand
calendar:
  years: [2024, 2025]
  holidays: [2024-10-01, 2025-01-01, 2025-03-03]   # 2025-03-03: a mistake
  workdays: [2024-10-12, 2025-01-26]

# the end
`
	os.WriteFile(path, []byte(old), 0o600)
	out, err := importCLI(t, nil, "y\n", noticeFile(2025), "--config", path)
	if err != nil {
		t.Fatalf("%v\n%s", message(err), out)
	}
	for _, want := range []string{"已有 2025 年的日历，将以本通知替换", "放假日 / days off: 去掉 / removed 3月3日（星期一）；加上 / added 1月28日（星期二）、",
		"调休上班日 / make-up working days: 加上 / added 2月8日（星期六）、4月27日（星期日）、9月28日（星期日）、10月11日（星期六）"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	written, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(written), string(config.ExampleYAML())+"\n# 手工录入的日历 / typed in by hand\ncalendar:\n") || !strings.HasSuffix(string(written), "\n\n# the end\n") {
		t.Errorf("lines outside the section changed:\n%s", written)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v; want the file's own 0600", fi.Mode().Perm())
	}
	working := workingDay(t, path)
	for day, want := range map[string]bool{"2024-10-01": false, "2024-10-12": true, "2025-03-03": true, "2025-01-28": false, "2025-02-08": true} {
		if got := working(day); got != want {
			t.Errorf("working(%s) = %v; want %v", day, got, want)
		}
	}
}

// Without the year before in the calendar, the notice's days there are left out, and
// the clerk is told which and why.
func TestCalendarImport_DaysOfTheYearBeforeAreNamed(t *testing.T) {
	path := exampleConfig(t)
	out, err := importCLI(t, nil, "", noticeFile(2019), "--config", path, "--yes")
	if err != nil {
		t.Fatal(message(err))
	}
	if !strings.Contains(out, "2018年12月29日（星期六）、2018年12月30日（星期日）、2018年12月31日（星期一） 在 2018 年，日历不含 2018 年，不写入") {
		t.Errorf("the days of 2018 left out are not named:\n%s", out)
	}
	if written, _ := os.ReadFile(path); bytes.Contains(written, []byte("2018-12")) {
		t.Errorf("days of 2018 written without 2018 in the calendar")
	}
}

// The clerk is asked; 是 or y writes, anything else (否, n, nothing) writes nothing and
// says so.
func TestCalendarImport_Confirmation(t *testing.T) {
	for _, tc := range []struct {
		answer string
		writes bool
	}{
		{"是\n", true}, {"y\n", true}, {"YES\n", true},
		{"否\n", false}, {"n\n", false}, {"", false}, {"是的吧\n", false}, {"\n", false},
	} {
		t.Run(fmt.Sprintf("%q", tc.answer), func(t *testing.T) {
			path := exampleConfig(t)
			out, err := importCLI(t, nil, tc.answer, noticeFile(2025), "--config", path)
			if !strings.Contains(out, "写入 "+path+"？(是/否 y/n)") || !strings.Contains(out, "春节：1月28日（星期二）至2月4日（星期二）放假") {
				t.Errorf("no question, or not after the notice:\n%s", out)
			}
			written, _ := os.ReadFile(path)
			_, bakErr := os.Stat(path + ".bak")
			if tc.writes {
				if err != nil || bytes.Equal(written, config.ExampleYAML()) || bakErr != nil {
					t.Errorf("answer %q: err %v, written %v, .bak %v", tc.answer, err, !bytes.Equal(written, config.ExampleYAML()), bakErr)
				}
				return
			}
			if !errors.Is(err, errNotConfirmed) || !strings.Contains(message(err), "未写入") || exitCode(err) == 0 {
				t.Errorf("answer %q: err = %v", tc.answer, err)
			}
			if !bytes.Equal(written, config.ExampleYAML()) || !errors.Is(bakErr, fs.ErrNotExist) {
				t.Errorf("answer %q wrote something", tc.answer)
			}
		})
	}
}

// "-" reads the notice from standard input; the answer cannot come from there too, so
// without --yes nothing is written and the clerk is told to add it.
func TestCalendarImport_Stdin(t *testing.T) {
	text, err := os.ReadFile(noticeFile(2024))
	if err != nil {
		t.Fatal(err)
	}
	path := exampleConfig(t)
	out, err := importCLI(t, nil, string(text), "-", "--config", path)
	if !errors.Is(err, errNotConfirmed) || !strings.Contains(message(err), "--yes") || !strings.Contains(out, "春节：2月10日（星期六）至2月17日（星期六）放假") {
		t.Fatalf("- without --yes = %v\n%s", err, out)
	}
	if written, _ := os.ReadFile(path); !bytes.Equal(written, config.ExampleYAML()) {
		t.Fatal("written without --yes")
	}
	out, err = importCLI(t, nil, "\uFEFF"+string(text), "-", "--config", path, "--yes") // with a byte order mark
	if err != nil || !strings.Contains(out, "标准输入") {
		t.Fatalf("- --yes = %v\n%s", err, out)
	}
	if !workingDay(t, path)("2024-02-18") {
		t.Error("2024-02-18 (a make-up working day) is not a working day")
	}
}

// The refusals: each writes nothing, and says why in both languages.
func TestCalendarImport_Refusals(t *testing.T) {
	notice, _ := os.ReadFile(noticeFile(2025))
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badWeekday := write("bad.txt", strings.Replace(string(notice), "1月26日（周日）", "1月26日（周一）", 1))
	for _, tc := range []struct {
		name   string
		args   func(cfg string) []string
		config string // the config file's content, default the example
		want   []string
	}{
		{name: "NoConfig", args: func(string) []string { return []string{noticeFile(2025), "--yes"} },
			want: []string{"briefbot config example > org.yaml", "--config"}},
		{name: "MissingNotice", args: func(cfg string) []string { return []string{filepath.Join(dir, "none.txt"), "--config", cfg, "--yes"} },
			want: []string{"找不到通知文件", "not found"}},
		{name: "NoticeIsADirectory", args: func(cfg string) []string { return []string{dir, "--config", cfg, "--yes"} },
			want: []string{"无法读取通知", "cannot read the notice"}},
		{name: "NotANotice", args: func(cfg string) []string {
			return []string{write("letter.txt", "各位同事：\n本周五下午开会。\n"), "--config", cfg, "--yes"}
		}, want: []string{"找不到年份", "names no year"}},
		{name: "NoticeLineDoesNotRead", args: func(cfg string) []string { return []string{badWeekday, "--config", cfg, "--yes"} },
			want: []string{"节假日通知第13行", "holiday notice, line 13", "2025-01-26是周日，不是通知所写的周一"}},
		{name: "NotUTF8", args: func(cfg string) []string {
			return []string{write("gbk.txt", "\xb9\xfa\xce\xf1\xd4\xba\xb0\xec\xb9\xab\xcc\xfc"), "--config", cfg, "--yes"}
		}, want: []string{"不是 UTF-8", "not UTF-8"}},
		{name: "ConfigMissing", args: func(string) []string {
			return []string{noticeFile(2025), "--config", filepath.Join(dir, "none.yaml"), "--yes"}
		}, want: []string{"找不到配置文件", "not found"}},
		{name: "ConfigDoesNotParse", config: strings.Replace(string(config.ExampleYAML()), "leaders: [zhao]", "leaders: [nobody]", 1),
			args: func(cfg string) []string { return []string{noticeFile(2025), "--config", cfg, "--yes"} },
			want: []string{"org.yaml:", "nobody"}},
		// An anchor in the calendar used elsewhere: the section written anew would lose
		// it, and the config would not load.
		{name: "ConfigWouldNotParse", config: string(config.ExampleYAML()) + "calendar:\n  years: [&y 2026]\nfollow_through:\n  answer_limit_days: *y\n",
			args: func(cfg string) []string { return []string{noticeFile(2025), "--config", cfg, "--yes"} },
			want: []string{"导入后", "将无法读取，未写入", "would not load", "anchor"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			content := tc.config
			if content == "" {
				content = string(config.ExampleYAML())
			}
			path := filepath.Join(t.TempDir(), "org.yaml")
			os.WriteFile(path, []byte(content), 0o640)
			out, err := importCLI(t, nil, "是\n", tc.args(path)...)
			if err == nil {
				t.Fatalf("succeeded:\n%s", out)
			}
			msg := message(err)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
			if written, _ := os.ReadFile(path); string(written) != content {
				t.Error("the config was changed")
			}
			if _, err := os.Stat(path + ".bak"); !errors.Is(err, fs.ErrNotExist) {
				t.Error("a .bak was written")
			}
			if strings.Contains(out, "(是/否 y/n)") {
				t.Errorf("asked anyway:\n%s", out)
			}
		})
	}
}

func TestCalendarImport_Usage(t *testing.T) {
	for _, args := range [][]string{{"calendar"}, {"calendar", "export"}, {"calendar", "import"}, {"calendar", "import", "a.txt", "b.txt"}} {
		var out bytes.Buffer
		err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &out)
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "calendar import FILE") {
			t.Errorf("%v = %v; want a usage error", args, err)
		}
	}
	var out bytes.Buffer
	run(context.Background(), []string{"help"}, func(string) string { return "" }, strings.NewReader(""), &out, &out)
	if !strings.Contains(out.String(), "briefbot calendar import FILE") || !strings.Contains(out.String(), "when it") {
		t.Errorf("the usage text does not describe calendar import:\n%s", out.String())
	}
}

// A written file that does not load (someone else's write landed, a disk gave out) is
// not left in place: the previous file is put back, and the clerk is told.
func TestCalendarImport_RestoresAConfigThatDoesNotLoad(t *testing.T) {
	path := exampleConfig(t)
	defer func(w func(string, []byte, fs.FileMode) error) { writeConfigFile = w }(writeConfigFile)
	writeConfigFile = func(p string, data []byte, mode fs.FileMode) error {
		return writeAtomic(p, data[:len(data)/2], mode) // cut short
	}
	out, err := importCLI(t, nil, "", noticeFile(2025), "--config", path, "--yes")
	if briefbot.ErrorReason(err) != "calendar_restored" || !strings.Contains(message(err), "已恢复原文件") || !strings.Contains(message(err), "previous file is back") {
		t.Fatalf("err = %v\n%s", message(err), out)
	}
	if written, _ := os.ReadFile(path); !bytes.Equal(written, config.ExampleYAML()) {
		t.Error("the previous config was not put back")
	}
	if bak, _ := os.ReadFile(path + ".bak"); !bytes.Equal(bak, config.ExampleYAML()) {
		t.Error("the .bak is not the previous config")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".org.yaml.tmp-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// A config reached through a link is written where the link points; the link stays.
func TestCalendarImport_ThroughALink(t *testing.T) {
	path := exampleConfig(t)
	link := filepath.Join(t.TempDir(), "current.yaml")
	if err := os.Symlink(path, link); err != nil {
		t.Skip(err)
	}
	if _, err := importCLI(t, nil, "", noticeFile(2025), "--config", link, "--yes"); err != nil {
		t.Fatal(message(err))
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if written, _ := os.ReadFile(path); !bytes.Contains(written, []byte("2025-01-28")) {
		t.Error("the file the link points to was not written")
	}
}
