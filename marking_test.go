package briefbot

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// corpusLine is one text of a testdata/marking corpus, with its line number.
type corpusLine struct {
	n    int
	text string
}

// readCorpus reads testdata/marking/name: one text a line, '#' lines and blank lines
// skipped, escapes (\uXXXX, \UXXXXXXXX, \n, \r, \t, \\) decoded.
func readCorpus(tb testing.TB, name string) []corpusLine {
	tb.Helper()
	file, err := os.Open(filepath.Join("testdata", "marking", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer file.Close()
	var lines []corpusLine
	sc := bufio.NewScanner(file)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		text, err := unescapeCorpus(l)
		if err != nil {
			tb.Fatalf("%s:%d: %v", name, n, err)
		}
		lines = append(lines, corpusLine{n, text})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return lines
}

func unescapeCorpus(l string) (string, error) {
	if !strings.Contains(l, `\`) {
		return l, nil
	}
	var b strings.Builder
	for i := 0; i < len(l); i++ {
		if l[i] != '\\' {
			b.WriteByte(l[i])
			continue
		}
		if i+1 == len(l) {
			return "", fmt.Errorf("a lone backslash at the end")
		}
		i++
		switch l[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '\\':
			b.WriteByte('\\')
		case 'u', 'U':
			w := 4
			if l[i] == 'U' {
				w = 8
			}
			if i+w >= len(l) {
				return "", fmt.Errorf("a short \\%c escape", l[i])
			}
			r, err := strconv.ParseUint(l[i+1:i+1+w], 16, 32)
			if err != nil {
				return "", fmt.Errorf("a bad \\%c escape: %v", l[i], err)
			}
			b.WriteRune(rune(r))
			i += w
		default:
			return "", fmt.Errorf("an unknown escape \\%c", l[i])
		}
	}
	return b.String(), nil
}

// TestMarkingCorpus: every marked text is refused and every clean one accepted.
func TestMarkingCorpus(t *testing.T) {
	marked, clean := readCorpus(t, "marked.txt"), readCorpus(t, "clean.txt")
	if len(marked) < 200 || len(clean) < 200 {
		t.Errorf("the corpus is too small: %d marked, %d clean texts (want 200 each)", len(marked), len(clean))
	}
	var passed, refused []string
	for _, l := range marked {
		if !HasClassificationMarking(l.text) {
			passed = append(passed, fmt.Sprintf("%d %q", l.n, l.text))
		}
	}
	for _, l := range clean {
		if HasClassificationMarking(l.text) {
			refused = append(refused, fmt.Sprintf("%d %q", l.n, l.text))
		}
	}
	t.Logf("marked refused %d/%d, clean accepted %d/%d",
		len(marked)-len(passed), len(marked), len(clean)-len(refused), len(clean))
	if len(passed) > 0 {
		t.Errorf("marked.txt lines that pass:\n%s", strings.Join(passed, "\n"))
	}
	if len(refused) > 0 {
		t.Errorf("clean.txt lines that are refused:\n%s", strings.Join(refused, "\n"))
	}
}

// TestHasClassificationMarkingVariants: the variants the evasion report listed, each
// in a marking shape, and the ordinary words that must pass.
func TestHasClassificationMarkingVariants(t *testing.T) {
	refused := map[string]string{
		"full-width space":           "机　密★1年",
		"NBSP":                       "机\u00a0密★1年",
		"en quad":                    "秘\u2000密★1年",
		"em space":                   "秘\u2003密★1年",
		"hair space":                 "秘\u200a密★1年",
		"narrow NBSP":                "机\u202f密★5年",
		"math space":                 "机\u205f密★5年",
		"ideographic space":          "绝\u3000密",
		"tab":                        "秘\t密★1年",
		"newline":                    "秘\n密★1年",
		"CRLF":                       "机\r\n密★长期",
		"line separator":             "机\u2028密★长期",
		"ZWSP":                       "机\u200b密★1年",
		"ZWNJ":                       "秘\u200c密★1年",
		"ZWJ":                        "秘\u200d密★1年",
		"word joiner":                "机\u2060密★1年",
		"BOM":                        "秘\ufeff密★1年",
		"soft hyphen":                "机\u00ad密★1年",
		"bidi override":              "秘\u202e密★1年",
		"Mongolian vowel separator":  "秘\u180e密★1年",
		"tag character":              "秘\U000e0041密★1年",
		"variation selector":         "秘\ufe0f密★1年",
		"ZW around the star":         "秘密\u200b★\u200b1年",
		"traditional 絕密":             "絕密",
		"traditional 機密":             "機密★10年",
		"traditional 祕密":             "祕密★1年",
		"variant 袐密":                 "袐密★1年",
		"circled ㊙":                  "㊙密★1年",
		"traditional 密級":             "密級：祕密",
		"秘密级":                        "秘密级",
		"机密级 in a body":              "附件一（机密级）：名单",
		"（秘密） mid-line":              "关于某案庭审安排的请示（秘密）",
		"【机密】":                       "【机密】关于某案的报告",
		"〔绝密〕":                       "〔绝密〕",
		"［秘密］":                       "［秘密］",
		"《机密》":                       "本请示附《机密》材料一份",
		"「秘密」":                       "「秘密」",
		"ASCII brackets":             "(机密)",
		"秘密 5年":                      "秘密 5年",
		"机密 长期":                      "机密 长期",
		"full-width digits":          "秘密★１０年",
		"密级：秘密":                      "密级：秘密",
		"密级: 机密★":                    "密级: 机密★",
		"密级 full-width colon":        "密级：机密",
		"密级 ratio colon":             "密级∶秘密",
		"保密级别":                       "保密级别：秘密",
		"alone on a line":            "正文第一段\n秘密\n第二段",
		"at the start, then a title": "秘密 关于某事的请示",
		"alone":                      "机密",
		"header anywhere":            "附件2 秘密★1年 审委会会议纪要",
		"bare 绝密":                    "本件为绝密文件",
		"star ☆":                     "秘密☆1年",
		"star ✩":                     "秘密✩1年",
		"star ✪":                     "秘密✪1年",
		"star ✫":                     "秘密✫1年",
		"star ✬":                     "秘密✬1年",
		"star ✭":                     "秘密✭1年",
		"star ✮":                     "秘密✮1年",
		"star ✯":                     "秘密✯1年",
		"star ✰":                     "秘密✰1年",
		"star ⋆":                     "秘密⋆1年",
		"star ＊":                     "秘密＊1年",
		"star *":                     "秘密*1年",
		"star ٭":                     "秘密٭1年",
		"star ⭐":                     "秘密⭐1年",
		"star ✱":                     "秘密✱1年",
		"star ∗":                     "秘密∗1年",
		"star ﹡":                     "秘密﹡1年",
		"everything at once":         "機\u3000密\u200b✩\u00a0１０年",
	}
	accepted := map[string]string{
		"商业机密":           "本案涉及商业机密",
		"机密性":            "机密性要求",
		"国家秘密":           "本案涉及国家秘密，依法不公开审理",
		"工作秘密":           "要求全体干警保守工作秘密",
		"商业秘密":           "依法保护商业秘密和个人隐私",
		"秘密侦查":           "秘密侦查措施的适用问题",
		"侵犯商业秘密罪":        "关于被告人张某侵犯商业秘密罪一案的请示",
		"泄露国家秘密罪":        "关于被告人王某泄露国家秘密罪一案的报告",
		"故意泄露国家秘密罪":      "关于被告人李某故意泄露国家秘密罪一案的请示",
		"非法获取国家秘密罪":      "关于被告人刘某非法获取国家秘密罪一案的请示",
		"保守秘密":           "对合议庭评议情况应当保守秘密。",
		"秘密取证":           "秘密取证的合法性问题",
		"秘密窃取":           "被告人采取秘密窃取的方式盗窃财物",
		"泄露机密":           "被告人违反约定泄露机密，给公司造成重大损失。",
		"涉密人员":           "关于涉密人员出国（境）审批管理情况的报告",
		"bracketed 商业秘密": "本案涉及商业秘密（技术秘密），依法不公开审理。",
		"charge with 绝密": "关于被告人周某非法持有国家绝密、机密文件、资料、物品罪一案的请示",
		"levels listed":  "国家秘密的密级分为绝密、机密、秘密三级",
		"拒绝密切":           "被告人拒绝密切配合调查",
		"手机密码":           "被告人获取被害人手机密码后转账",
		"机密级别":           "涉案资料的机密级别较高",
		"empty":          "",
		"no 密":           "关于一季度审判执行工作情况的报告",
	}
	for name, s := range refused {
		if !HasClassificationMarking(s) {
			t.Errorf("%s: HasClassificationMarking(%q) = false; want true", name, s)
		}
	}
	for name, s := range accepted {
		if HasClassificationMarking(s) {
			t.Errorf("%s: HasClassificationMarking(%q) = true; want false", name, s)
		}
	}
}

func TestFoldMarkingText(t *testing.T) {
	for in, want := range map[string]string{
		"机\u3000密\u200b★\u00a0１０年": "机 密★ 10年",
		"絕密　機密　祕密　密級":              "绝密 机密 秘密 密级",
		"【】〔〕［］（）《》「」『』〖〗<>＜＞":     "[][][][][][][][][][]",
		"☆✩✪✫✬✭✮✯✰⋆＊*٭⭐":           "★★★★★★★★★★★★★★",
		"a\t\n\r  b":                 "a b",
		"秘\u00ad\u2060\ufeff\u200d密": "秘密",
		"：１２３ＡＢＣ":                    ":123ABC",
		"㊙密★⼀⽉":                      "秘密★一月",
	} {
		if got := foldMarkingText(in); got != want {
			t.Errorf("foldMarkingText(%q) = %q; want %q", in, got, want)
		}
	}
}

// invisibles are inserted into marked texts by the fuzz target: format characters and
// Unicode spaces.
var invisibles = []rune{
	'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', '\u200e',
	'\u200f', '\u202a', '\u202e', '\u2061', '\u2066', '\u2069', '\U000e0020', '\U000e0041',
	' ', '\t', '\n', '\r', '\v', '\f', '\u0085', '\u00a0', '\u1680', '\u2000', '\u2005',
	'\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000',
}

// TestMarkingInvisiblesEverywhere: every invisible character of the list, put at every
// place of every marked text of the corpus, leaves it marked (the fuzz target below
// explores more characters and combinations).
func TestMarkingInvisiblesEverywhere(t *testing.T) {
	for _, l := range readCorpus(t, "marked.txt") {
		rs := []rune(l.text)
		for i := 0; i <= len(rs); i++ {
			for _, c := range invisibles {
				if v := string(rs[:i]) + string(c) + string(rs[i:]); !HasClassificationMarking(v) {
					t.Errorf("marked.txt:%d %q passes once %U is put at %d", l.n, l.text, c, i)
				}
			}
		}
	}
}

// FuzzHasClassificationMarking: HasClassificationMarking never panics, and a marked
// text stays marked whatever invisible characters or spaces are put between its
// characters: one from the list above, plus whichever spaces and format characters the
// fuzzed string carries, at a fuzzed place in a marked text of the corpus.
func FuzzHasClassificationMarking(f *testing.F) {
	var seeds []string
	for _, l := range readCorpus(f, "marked.txt") {
		seeds = append(seeds, l.text)
	}
	f.Add("秘密★1年", uint16(0), uint16(1), uint16(0))
	f.Add("\u3000\u200b", uint16(7), uint16(2), uint16(5))
	f.Add("本案涉及商业机密", uint16(100), uint16(0), uint16(30))
	f.Add("机\u200b密", uint16(3), uint16(9), uint16(12))
	f.Fuzz(func(t *testing.T, s string, pick, at, which uint16) {
		HasClassificationMarking(s) // must not panic, whatever s is

		seed := []rune(seeds[int(pick)%len(seeds)])
		i := int(at) % (len(seed) + 1)
		ins := []rune{invisibles[int(which)%len(invisibles)]}
		for _, r := range s {
			if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
				ins = append(ins, r)
			}
		}
		v := string(seed[:i]) + string(ins) + string(seed[i:])
		if !HasClassificationMarking(v) {
			t.Fatalf("%q passes once %q is put in %q at %d", v, string(ins), string(seed), i)
		}
	})
}

// BenchmarkHasClassificationMarking: a 2 KB ordinary text (no 密, the common case) and
// a 2 KB text with 密 words in it that is not marked (the whole text is folded and read).
func BenchmarkHasClassificationMarking(b *testing.B) {
	ordinary := cut2K(strings.Repeat("关于一季度审判执行工作情况的报告：全院共受理各类案件一万余件，结案率同比上升。", 30))
	withMi := cut2K(strings.Repeat("本案涉及商业秘密和国家秘密，依法不公开审理；被告人秘密窃取他人财物，保守工作秘密。", 30))
	for _, bc := range []struct{ name, text string }{{"ordinary-2KB", ordinary}, {"mi-words-2KB", withMi}} {
		b.Run(bc.name, func(b *testing.B) {
			if HasClassificationMarking(bc.text) {
				b.Fatal("the benchmark text is refused")
			}
			b.SetBytes(int64(len(bc.text)))
			for b.Loop() {
				HasClassificationMarking(bc.text)
			}
		})
	}
}

// cut2K cuts s to at most 2048 bytes, at a character boundary.
func cut2K(s string) string {
	n := min(len(s), 2048)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
