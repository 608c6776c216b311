// Package briefbot is the vocabulary of major-matter requests and reports: matters, their
// ledger numbers and life, instructions, assignments, feedback, the organisation, and the
// coded errors every other package speaks. It imports only the standard library.
package briefbot

import "time"

// Lang is the language a member reads: Chinese first, English available.
type Lang string

// Languages the bot speaks. The zero value reads as Chinese.
const (
	LangZH Lang = "zh"
	LangEN Lang = "en"
)

// ParseLang returns the language named by s ("zh", "en", "中文", "english"...); anything
// unknown is Chinese, the default.
func ParseLang(s string) Lang {
	switch s {
	case "en", "EN", "en-US", "en-GB", "english", "English":
		return LangEN
	}
	return LangZH
}

// Text is one user-facing sentence in both languages.
type Text struct {
	ZH string
	EN string
}

// In returns the text in lang, falling back to Chinese when no English is given.
func (t Text) In(lang Lang) string {
	if lang == LangEN && t.EN != "" {
		return t.EN
	}
	return t.ZH
}

// DefaultZone is the time zone the bot works in unless configured otherwise.
const DefaultZone = "Asia/Shanghai"

// DefaultLocation returns Asia/Shanghai, or a fixed UTC+8 zone of the same name if the
// zone database is missing (cmd/briefbot embeds time/tzdata, so it never is there).
func DefaultLocation() *time.Location {
	if loc, err := time.LoadLocation(DefaultZone); err == nil {
		return loc
	}
	return time.FixedZone(DefaultZone, 8*60*60)
}
