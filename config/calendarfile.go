package config

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/schedules"
)

// This file edits the calendar section of an org config file in place, for `briefbot
// calendar import`: the section is written anew and spliced into the text, so every
// other line of the file (comments, blank lines, order, quoting) stays as it was. A
// re-encoded node tree would not keep them: yaml.v3 drops blank lines and re-indents.

// CalendarLists returns the working-day calendar an org config file gives, as
// schedules.NewCalendar takes it: the years, days off and make-up working days of its
// calendar section, as written. A file without a calendar section is on the built-in
// calendar: its lists are returned (schedules.DefaultCalendarLists), and builtIn is
// true. data should be a file Parse accepts; anything it cannot read as a calendar is
// an EINVALID error.
func CalendarLists(data []byte) (years []int, holidays, workdays []string, builtIn bool, err error) {
	_, key, value, err := calendarNodes(data)
	if err != nil {
		return nil, nil, nil, false, err
	}
	if key == nil {
		years, holidays, workdays = schedules.DefaultCalendarLists()
		return years, holidays, workdays, true, nil
	}
	value = cfgDeref(value)
	if value.Kind != yaml.MappingNode {
		return nil, nil, nil, false, calendarFileError(value.Line, "calendar 应当是映射（years:、holidays:、workdays:）", "calendar must be a mapping (years:, holidays:, workdays:)")
	}
	for i := 0; i+1 < len(value.Content); i += 2 {
		k, v := cfgDeref(value.Content[i]), cfgDeref(value.Content[i+1])
		var values []string
		if !cfgIsNull(v) {
			if v.Kind != yaml.SequenceNode {
				return nil, nil, nil, false, calendarFileError(v.Line, k.Value+" 应当是列表", k.Value+" must be a list")
			}
			for _, e := range v.Content {
				if e = cfgDeref(e); e.Kind != yaml.ScalarNode {
					return nil, nil, nil, false, calendarFileError(e.Line, k.Value+" 中的每一项应当是单个值", "each entry of "+k.Value+" must be a single value")
				}
				values = append(values, strings.TrimSpace(e.Value))
			}
		}
		switch k.Value {
		case "years":
			for _, s := range values {
				y, err := strconv.Atoi(s)
				if err != nil {
					return nil, nil, nil, false, calendarFileError(v.Line, fmt.Sprintf("年份 %q 不对", s), fmt.Sprintf("%q is not a year", s))
				}
				years = append(years, y)
			}
		case "holidays":
			holidays = values
		case "workdays":
			workdays = values
		}
	}
	return years, holidays, workdays, false, nil
}

// SetCalendar returns data with its calendar section replaced by one listing years,
// holidays and workdays (dates written 2026-10-01), and every other line as it was: the
// lines before the section, including its comments and the key line itself with its
// comment when the section is a block, and the lines after it, from the comments that
// follow it on. Comments inside the section are not kept. A file without a calendar
// section gets one at its end. The days off are written a run of consecutive days to a
// line, the make-up working days a year to a line.
//
// The result is not parsed here: the caller parses it (Parse) before putting it in
// place. It refuses, EINVALID, a file that is not one YAML mapping in block style, and
// a value that is not a date.
func SetCalendar(data []byte, years []int, holidays, workdays []string) ([]byte, error) {
	root, key, value, err := calendarNodes(data)
	if err != nil {
		return nil, err
	}
	for _, s := range slices.Concat(holidays, workdays) {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return nil, calendarFileError(1, fmt.Sprintf("日期 %q 无效，应写作 2026-10-01", s), fmt.Sprintf("date %q is not valid; write it as 2026-10-01", s))
		}
	}
	eol := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		eol = "\r\n"
	}
	lines := strings.SplitAfter(string(data), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	indent := strings.Repeat(" ", root.Content[0].Column-1)
	body := calendarBody(indent+"  ", eol, years, holidays, workdays)

	if key == nil { // no calendar yet: a new section at the end, after a blank line
		var b strings.Builder
		b.Write(data)
		if len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")) {
			b.WriteString(eol)
		}
		b.WriteString(eol + indent + "calendar:" + eol + body)
		return []byte(b.String()), nil
	}

	// The section runs from its key's line to the line before the next top-level key
	// (or the end), less the blank and comment lines that end it: those are the next
	// key's, or the file's closing comments.
	end := len(lines) // exclusive, 0-based
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i] == key && i+2 < len(root.Content) {
			end = root.Content[i+2].Line - 1
		}
	}
	for i := key.Line; i < end; i++ { // a document marker ends it too
		if l := strings.TrimRight(lines[i], "\r\n"); l == "..." || strings.HasPrefix(l, "---") {
			end = i
			break
		}
	}
	for end > key.Line {
		l := strings.TrimSpace(lines[end-1])
		if l != "" && !strings.HasPrefix(l, "#") {
			break
		}
		end--
	}
	start := key.Line - 1 // 0-based: the key's line
	head := indent + "calendar:"
	if value.Kind == yaml.MappingNode && value.Style&yaml.FlowStyle == 0 && value.Line > key.Line {
		start, head = key.Line, "" // a block mapping: the key's line, comment and all, stays
	} else if c := strings.TrimSpace(key.LineComment + " " + value.LineComment); c != "" {
		head += " " + c
	}
	var b strings.Builder
	b.WriteString(strings.Join(lines[:start], ""))
	if head != "" {
		b.WriteString(head + eol)
	}
	b.WriteString(body)
	b.WriteString(strings.Join(lines[end:], ""))
	return []byte(b.String()), nil
}

// calendarNodes finds the calendar section of data: the top-level mapping, and the
// calendar key and value (nil if there is none). An alias as the value is returned as
// it stands, not followed.
func calendarNodes(data []byte) (root, key, value *yaml.Node, err error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, nil, calendarFileError(1, "YAML 语法错误："+err.Error(), "YAML syntax error: "+err.Error())
	}
	if len(doc.Content) == 0 {
		return nil, nil, nil, calendarFileError(1, "文件为空", "the file is empty")
	}
	root = doc.Content[0]
	if root.Kind != yaml.MappingNode || root.Style&yaml.FlowStyle != 0 || len(root.Content) == 0 {
		return nil, nil, nil, calendarFileError(root.Line, "顶层须是逐行书写的键值映射，才能改写其中的 calendar 一节",
			"the top level must be a block mapping (one key a line) for its calendar section to be rewritten")
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "calendar" {
			return root, root.Content[i], root.Content[i+1], nil
		}
	}
	return root, nil, nil, nil
}

// calendarBody writes the keys of a calendar section, each line starting with indent.
func calendarBody(indent, eol string, years []int, holidays, workdays []string) string {
	ys := make([]string, len(years))
	for i, y := range slices.Sorted(slices.Values(years)) {
		ys[i] = strconv.Itoa(y)
	}
	holidays, workdays = slices.Sorted(slices.Values(holidays)), slices.Sorted(slices.Values(workdays))
	// Days off: a run of consecutive days (one holiday, mostly) to a line.
	var off [][]string
	for i, s := range holidays {
		if i > 0 && nextDay(holidays[i-1]) == s {
			off[len(off)-1] = append(off[len(off)-1], s)
			continue
		}
		off = append(off, []string{s})
	}
	// Make-up working days: a year to a line.
	var work [][]string
	for i, s := range workdays {
		if i > 0 && workdays[i-1][:4] == s[:4] {
			work[len(work)-1] = append(work[len(work)-1], s)
			continue
		}
		work = append(work, []string{s})
	}
	list := func(key string, groups [][]string) string {
		switch len(groups) {
		case 0:
			return indent + key + ": []" + eol
		case 1:
			return indent + key + ": [" + strings.Join(groups[0], ", ") + "]" + eol
		}
		var b strings.Builder
		b.WriteString(indent + key + ": [" + eol)
		for i, g := range groups {
			b.WriteString(indent + "  " + strings.Join(g, ", "))
			if i < len(groups)-1 {
				b.WriteString("," + eol)
			}
		}
		b.WriteString("]" + eol)
		return b.String()
	}
	return list("years", [][]string{ys}) + list("holidays", off) + list("workdays", work)
}

// nextDay returns the date after s (2026-10-01 -> 2026-10-02).
func nextDay(s string) string {
	t, _ := time.Parse(time.DateOnly, s)
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}

func calendarFileError(line int, zh, en string) error {
	return briefbot.Errorf(briefbot.EINVALID, "config", briefbot.Text{
		ZH: fmt.Sprintf("第 %d 行：%s", line, zh),
		EN: fmt.Sprintf("line %d: %s", line, en)})
}
