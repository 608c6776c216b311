package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/schedules"
)

const calendarUsage = "briefbot calendar import FILE|- [--config CONFIG] [--yes]"

// maxNoticeFile bounds what is read of a notice file: a notice is about 2 KB, and
// ParseNotice refuses anything over 64 KB with a message saying so.
const maxNoticeFile = 1 << 20

// errNotConfirmed is the answer to anything but yes: nothing was written.
var errNotConfirmed = errors.New("未确认，未写入任何内容 / not confirmed: nothing written")

// writeConfigFile puts a new config file in place; tests replace it to make the file
// on disk differ from the one meant.
var writeConfigFile = writeAtomic

// calendar is `briefbot calendar import FILE [--config CONFIG] [--yes]`: the State
// Council's holiday notice for a year (国务院办公厅关于2027年部分节假日安排的通知), as
// published, goes into the org config's calendar section. The clerk sees what the
// notice says, festival by festival, and confirms before anything is written; the file
// keeps every line outside the section, the previous one is kept as CONFIG.bak, and a
// result that does not load is replaced by the previous file again.
func (e *environment) calendar(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf("%w: %s", errUsage, calendarUsage)
	}
	var cfgPath string
	var yes bool
	fs := &flagSet{FlagSet: flag.NewFlagSet("briefbot calendar import", flag.ContinueOnError)}
	fs.SetOutput(e.stderr)
	fs.StringVar(&cfgPath, "config", e.getenv("BRIEFBOT_CONFIG"), "the org config file to write (env BRIEFBOT_CONFIG)")
	fs.BoolVar(&yes, "yes", false, "write without asking")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: %s", errUsage, calendarUsage)
	}
	if cfgPath == "" {
		return briefbot.Errorf(briefbot.EINVALID, "calendar_no_config", briefbot.Text{
			ZH: "没有指定配置文件（--config 或 BRIEFBOT_CONFIG）：内置示例组织不是文件，无处写入。请先导出示例：briefbot config example > org.yaml，按本单位修改后用 --config org.yaml 指定。",
			EN: "no config file given (--config or BRIEFBOT_CONFIG): the built-in example organisation is not a file and cannot be written. Export it first: briefbot config example > org.yaml, adapt it, and name it with --config org.yaml.",
		})
	}

	// The config as it is: it must load, or there is nothing sound to add a year to.
	path, err := filepath.EvalSymlinks(cfgPath) // write the file, not over a link to it
	var data []byte
	if err == nil {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		if _, lerr := config.Load(cfgPath); lerr != nil {
			return lerr // says it in the user's words: not found, cannot read
		}
		return briefbot.Internal("calendar import: read the config", err)
	}
	if _, err := config.Parse(data, cfgPath); err != nil {
		return err
	}

	name, text, err := e.readNotice(fs.Arg(0))
	if err != nil {
		return err
	}
	n, err := schedules.ParseNotice(text)
	if err != nil {
		return err
	}

	years, holidays, workdays, builtIn, err := config.CalendarLists(data)
	if err != nil {
		return err
	}
	years2, holidays2, workdays2 := schedules.MergeNotice(years, holidays, workdays, n)
	next, err := config.SetCalendar(data, years2, holidays2, workdays2)
	if err != nil {
		return err
	}
	if _, err := config.Parse(next, cfgPath); err != nil {
		return briefbot.Errorf(briefbot.EINVALID, "calendar_breaks_config", briefbot.Text{
			ZH: fmt.Sprintf("导入后 %s 将无法读取，未写入：\n%s", cfgPath, briefbot.ErrorMessage(err, briefbot.LangZH)),
			EN: fmt.Sprintf("with the import %s would not load; nothing written:\n%s", cfgPath, briefbot.ErrorMessage(err, briefbot.LangEN)),
		})
	}

	w := e.stdout
	fmt.Fprintf(w, "%s：国务院办公厅关于%d年部分节假日安排的通知 / the State Council's notice on the %d holidays\n\n", name, n.Year, n.Year)
	for _, f := range n.Holidays {
		fmt.Fprintf(w, "  %s\n", festivalLine(n.Year, f))
	}
	fmt.Fprintln(w)
	changed := showMerge(w, cfgPath, n, builtIn, years, holidays, workdays, years2, holidays2, workdays2)
	if !changed {
		fmt.Fprintf(w, "%s 中的日历已与本通知一致，无需写入。/ The calendar of %s already says what this notice says: nothing to write.\n", cfgPath, cfgPath)
		return nil
	}

	if !yes {
		if fs.Arg(0) == "-" {
			return fmt.Errorf("%w: 通知取自标准输入，无法再询问确认；核对无误后加 --yes 重新运行。/ the notice came on standard input, so no answer can be read there; run again with --yes once checked", errNotConfirmed)
		}
		fmt.Fprintf(w, "写入 %s？(是/否 y/n) ", cfgPath)
		answer, _ := bufio.NewReader(e.stdin).ReadString('\n')
		fmt.Fprintln(w)
		if !isYes(answer) {
			return errNotConfirmed
		}
	}
	if err := replaceConfig(path, cfgPath, data, next, n); err != nil {
		return err
	}
	fmt.Fprintf(w, "已写入 %s，原文件保存为 %s.bak。运行中的机器人重新加载配置（SIGHUP 或管理员发送 reload）后生效。\n", cfgPath, cfgPath)
	fmt.Fprintf(w, "Written to %s; the previous file is %s.bak. A running bot uses it once it reloads its config (SIGHUP, or an admin's reload).\n", cfgPath, cfgPath)
	return nil
}

// readNotice reads the notice's text from the file at arg, or standard input for "-".
// It returns the name to show for it.
func (e *environment) readNotice(arg string) (name, text string, err error) {
	var b []byte
	if arg == "-" {
		name = "标准输入 / standard input"
		b, err = io.ReadAll(io.LimitReader(e.stdin, maxNoticeFile))
	} else {
		name = arg
		var f *os.File
		if f, err = os.Open(arg); err == nil {
			b, err = io.ReadAll(io.LimitReader(f, maxNoticeFile))
			f.Close()
		}
	}
	if err != nil {
		cause := err
		if pe, ok := err.(*fs.PathError); ok {
			cause = pe.Err
		}
		msg := briefbot.Text{ZH: fmt.Sprintf("无法读取通知 %s：%v", arg, cause), EN: fmt.Sprintf("cannot read the notice %s: %v", arg, cause)}
		if errors.Is(err, fs.ErrNotExist) {
			msg = briefbot.Text{ZH: fmt.Sprintf("找不到通知文件 %s", arg), EN: fmt.Sprintf("notice file %s not found", arg)}
		}
		return "", "", &briefbot.Error{Code: briefbot.EINVALID, Reason: "calendar_notice_unreadable", Msg: msg, Err: err}
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF")) // a byte order mark, as Notepad writes
	if !utf8.Valid(b) {
		return "", "", briefbot.Errorf(briefbot.EINVALID, "calendar_notice_encoding", briefbot.Text{
			ZH: fmt.Sprintf("通知 %s 不是 UTF-8 编码的文字（可能是 GBK）：请另存为 UTF-8 后再导入。", arg),
			EN: fmt.Sprintf("the notice %s is not UTF-8 text (GBK, perhaps): save it as UTF-8 and import it again", arg),
		})
	}
	return name, string(b), nil
}

// isYes reports whether a typed answer says yes: 是, y or yes.
func isYes(answer string) bool {
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "是", "y", "yes", "ｙ", "ｙｅｓ":
		return true
	}
	return false
}

// showMerge tells what writing the merged lists changes, and reports whether they differ
// from what the file says.
func showMerge(w io.Writer, cfgPath string, n *schedules.Notice, builtIn bool, years []int, holidays, workdays []string, years2 []int, holidays2, workdays2 []string) bool {
	changed := builtIn || !slices.Equal(years, years2) || !slices.Equal(holidays, holidays2) || !slices.Equal(workdays, workdays2)
	if !changed {
		return false
	}
	switch {
	case builtIn:
		fmt.Fprintf(w, "%s 没有 calendar 一节，现用内置的 %s 年日历：导入时写出 calendar 一节，内置的年份照旧保留。\n", cfgPath, yearList(years))
		fmt.Fprintf(w, "%s has no calendar section and is on the built-in calendar of %s: the import writes the section, keeping the built-in years.\n", cfgPath, yearList(years))
	case slices.Contains(years, n.Year):
		fmt.Fprintf(w, "%s 中已有 %d 年的日历，将以本通知替换。/ %s already has a calendar for %d: this notice replaces it.\n", cfgPath, n.Year, cfgPath, n.Year)
		if off, on := diff(holidays, holidays2); len(off)+len(on) > 0 {
			fmt.Fprintf(w, "  放假日 / days off: %s\n", changes(n.Year, off, on))
		}
		if off, on := diff(workdays, workdays2); len(off)+len(on) > 0 {
			fmt.Fprintf(w, "  调休上班日 / make-up working days: %s\n", changes(n.Year, off, on))
		}
	}
	// Days of the notice in a year the calendar does not cover (元旦 from the December
	// before): MergeNotice leaves them out, as NewCalendar refuses them.
	var left []string
	for _, f := range n.Holidays {
		for _, d := range slices.Concat(f.Days, f.Workdays) {
			if !slices.Contains(holidays2, d) && !slices.Contains(workdays2, d) {
				left = append(left, d)
			}
		}
	}
	if len(left) > 0 {
		slices.Sort(left)
		y := n.Year - 1
		fmt.Fprintf(w, "%s 在 %d 年，日历不含 %d 年，不写入；先导入 %d 年的通知即可保留。\n", dayList(n.Year, left), y, y, y)
		fmt.Fprintf(w, "%s: in %d, which the calendar does not cover, so not written; import the %d notice first to keep them.\n", strings.Join(left, ", "), y, y)
	}
	fmt.Fprintf(w, "写入后日历覆盖 %s 年。/ The calendar will cover %s.\n\n", yearList(years2), strings.ReplaceAll(yearList(years2), "、", ", "))
	return true
}

// diff returns what is in a and not in b (removed), and in b and not in a (added).
func diff(a, b []string) (removed, added []string) {
	for _, s := range a {
		if !slices.Contains(b, s) {
			removed = append(removed, s)
		}
	}
	for _, s := range b {
		if !slices.Contains(a, s) {
			added = append(added, s)
		}
	}
	return removed, added
}

func changes(year int, removed, added []string) string {
	var parts []string
	if len(removed) > 0 {
		parts = append(parts, "去掉 / removed "+dayList(year, removed))
	}
	if len(added) > 0 {
		parts = append(parts, "加上 / added "+dayList(year, added))
	}
	return strings.Join(parts, "；")
}

func yearList(years []int) string {
	s := make([]string, len(years))
	for i, y := range years {
		s[i] = fmt.Sprint(y)
	}
	return strings.Join(s, "、")
}

// festivalLine is one item of the notice as the clerk checks it:
// 春节：1月28日（星期二）至2月4日（星期二）放假，共8天；1月26日（星期日）、2月8日（星期六）上班。
func festivalLine(year int, f schedules.Festival) string {
	s := fmt.Sprintf("%s：%s放假，共%d天", f.Name, dayRuns(year, f.Days), len(f.Days))
	if len(f.Workdays) > 0 {
		s += "；" + dayList(year, f.Workdays) + "上班"
	}
	return s + "。"
}

// dayRuns writes days (sorted) as runs: 1月28日（星期二）至2月4日（星期二）、5月1日（星期四）.
func dayRuns(year int, days []string) string {
	var parts []string
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && nextDate(days[j]) == days[j+1] {
			j++
		}
		if j == i {
			parts = append(parts, dayZH(year, days[i]))
		} else {
			parts = append(parts, dayZH(year, days[i])+"至"+dayZH(year, days[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, "、")
}

func dayList(year int, days []string) string {
	s := make([]string, len(days))
	for i, d := range days {
		s[i] = dayZH(year, d)
	}
	return strings.Join(s, "、")
}

var weekdayZH = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// dayZH writes 2025-01-28 as 1月28日（星期二）, with the year when it is not year's.
func dayZH(year int, d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	s := fmt.Sprintf("%d月%d日（%s）", t.Month(), t.Day(), weekdayZH[t.Weekday()])
	if t.Year() != year {
		s = fmt.Sprintf("%d年", t.Year()) + s
	}
	return s
}

func nextDate(d string) string {
	t, _ := time.Parse(time.DateOnly, d)
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}

// replaceConfig puts next in place of the config file at path (named cfgPath to the
// user), whose content was old: old is kept as path.bak first, and if the file written
// does not load, or its calendar does not say what the notice says, old is put back.
// A file changed by someone else since it was read is not overwritten.
func replaceConfig(path, cfgPath string, old, next []byte, n *schedules.Notice) error {
	st, err := os.Stat(path)
	if err != nil {
		return briefbot.Internal("calendar import", err)
	}
	mode := st.Mode().Perm()
	if cur, err := os.ReadFile(path); err != nil || !bytes.Equal(cur, old) {
		return briefbot.Errorf(briefbot.ECONFLICT, "calendar_config_changed", briefbot.Text{
			ZH: fmt.Sprintf("%s 在确认期间被改动过，未写入：请重新运行。", cfgPath),
			EN: fmt.Sprintf("%s changed while the import waited for confirmation; nothing written: run it again", cfgPath),
		})
	}
	if err := writeAtomic(path+".bak", old, mode); err != nil {
		return briefbot.Internal("calendar import: keep the previous config", err)
	}
	if err := writeConfigFile(path, next, mode); err != nil {
		return briefbot.Internal("calendar import: write the config", err)
	}
	problem := checkImported(path, cfgPath, n)
	if problem == nil {
		return nil
	}
	if err := writeAtomic(path, old, mode); err != nil {
		return briefbot.Internal(fmt.Sprintf("calendar import: the config written does not load (%s), and putting back the previous one from %s.bak failed", briefbot.ErrorMessage(problem, briefbot.LangEN), cfgPath), err)
	}
	return briefbot.Errorf(briefbot.EINVALID, "calendar_restored", briefbot.Text{
		ZH: fmt.Sprintf("写入后的 %s 未通过检查，已恢复原文件（与 %s.bak 相同）：\n%s", cfgPath, cfgPath, briefbot.ErrorMessage(problem, briefbot.LangZH)),
		EN: fmt.Sprintf("%s as written failed its check; the previous file is back in place (as is %s.bak):\n%s", cfgPath, cfgPath, briefbot.ErrorMessage(problem, briefbot.LangEN)),
	})
}

// checkImported loads the config written at path and checks that its calendar covers
// the notice's year, with its days off and its make-up working days as the notice says.
func checkImported(path, cfgPath string, n *schedules.Notice) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return briefbot.Internal("calendar import: read the config written", err)
	}
	cfg, err := config.Parse(data, cfgPath)
	if err != nil {
		return err
	}
	cal := cfg.Calendar
	wrong := func(d string, want bool) bool {
		t, err := time.ParseInLocation(time.DateOnly, d, briefbot.DefaultLocation())
		return err == nil && cal.Covers(t.Year()) && cal.IsWorkingDay(t.Add(12*time.Hour)) != want
	}
	bad := !cal.Covers(n.Year)
	for _, f := range n.Holidays {
		for _, d := range f.Days {
			bad = bad || wrong(d, false)
		}
		for _, d := range f.Workdays {
			bad = bad || wrong(d, true)
		}
	}
	if bad {
		return briefbot.Errorf(briefbot.EINVALID, "calendar_mismatch", briefbot.Text{
			ZH: fmt.Sprintf("其日历与%d年的通知不符", n.Year),
			EN: fmt.Sprintf("its calendar does not say what the %d notice says", n.Year),
		})
	}
	return nil
}

// writeAtomic puts data at path with mode: written to a new file beside it, synced,
// renamed over path, and the directory synced, so that a reader (or a crash) finds the
// old file or the new one, never a part of either.
func writeAtomic(path string, data []byte, mode fs.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing by that name
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
