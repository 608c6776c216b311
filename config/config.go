// Package config reads the org config file (YAML): who is who, the intake rules, the
// working-day calendar, the briefing schedules, the follow-through numbers and the
// reports. Every problem is reported at once, with its line, in Chinese and English.
package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/schedules"
)

// Config is everything the org config file says.
type Config struct {
	// Rules are the house rules: the org (committees, departments, members), the intake
	// rules, the language, the calendar and the follow-through numbers.
	Rules briefbot.Rules
	// Calendar is the working-day calendar (the same as Rules.Calendar).
	Calendar *schedules.Calendar
	Command  string // slash command name, default "/matter"
	Source   string // file name it came from, or "built-in example"
	// Jobs are the schedules and what their slots make: the committees' briefings
	// (schedule IDs "<committee>/<name>") and the monthly roll-ups (IDs
	// "report/<committee>", on the 1st at 09:00, moved past days off).
	Jobs []Job
	// CatchUp is how late a missed slot may still be delivered.
	CatchUp time.Duration
	// Scoring is the department score of the roll-ups.
	Scoring briefings.Scoring
}

// Job is one schedule of the config and what each of its slots makes.
type Job struct {
	Schedule  *schedules.Schedule
	Makes     JobKind
	Committee briefbot.CommitteeID
}

// JobKind is what a schedule's slot makes.
type JobKind int

// What slots make.
const (
	MakesBriefing      JobKind = iota // the committee's numbered briefing
	MakesMonthlyReport                // the committee's roll-up of the month before
)

// Schedules lists the jobs' schedules, for the runner.
func (c *Config) Schedules() []*schedules.Schedule {
	var ss []*schedules.Schedule
	for _, j := range c.Jobs {
		ss = append(ss, j.Schedule)
	}
	return ss
}

// exampleYAML is the built-in example organisation, printed by `briefbot config example`
// and used when no config file is given.
//
//go:embed example.yaml
var exampleYAML []byte

// ExampleYAML is the built-in example organisation's file, as `briefbot config
// example` prints it.
func ExampleYAML() []byte { return exampleYAML }

const (
	defaultCommand = "/matter"
	exampleSource  = "built-in example"
)

// Example returns the built-in example organisation. It panics if example.yaml
// is invalid; a test proves it is not.
func Example() *Config {
	c, err := Parse(exampleYAML, "example.yaml")
	if err != nil {
		panic("briefbot: the built-in example.yaml is invalid: " + err.Error())
	}
	c.Source = exampleSource
	return c
}

// Load reads the config file at path and parses it. A file that cannot be read
// is an EINVALID "config" error naming the path; its Err is the cause, so
// errors.Is(err, fs.ErrNotExist) tells a missing file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var msg briefbot.Text
		if errors.Is(err, fs.ErrNotExist) {
			msg = briefbot.Text{
				ZH: fmt.Sprintf("找不到配置文件 %s", path),
				EN: fmt.Sprintf("config file %s not found", path),
			}
		} else {
			cause := err
			if pe, ok := err.(*fs.PathError); ok {
				cause = pe.Err
			}
			msg = briefbot.Text{
				ZH: fmt.Sprintf("无法读取配置文件 %s：%v", path, cause),
				EN: fmt.Sprintf("cannot read config file %s: %v", path, cause),
			}
		}
		return nil, &briefbot.Error{Code: briefbot.EINVALID, Reason: "config", Msg: msg, Err: err}
	}
	return Parse(data, path)
}

// Parse parses an org config. name is the file name used in error messages and
// kept as Config.Source. On any problem it returns an EINVALID *briefbot.Error with
// reason "config" whose message lists every problem found, one per line, in line
// order, each as "name:line: problem".
//
// Members without a lang of their own get the file's language, so Member.Lang is
// always set in the result.
func Parse(data []byte, name string) (*Config, error) {
	p := &cfgParser{name: name}
	c := p.parse(data)
	if len(p.problems) > 0 {
		return nil, p.err()
	}
	c.Source = name
	return c, nil
}

// cfgProblem is one thing wrong with a config file.
type cfgProblem struct {
	line   int
	zh, en string
}

// cfgLabel names what a problem is about, e.g. `department "civil"`.
type cfgLabel struct{ zh, en string }

type cfgParser struct {
	name     string
	problems []cfgProblem
}

func (p *cfgParser) addAt(line int, l cfgLabel, zh, en string) {
	if line < 1 {
		line = 1
	}
	if l.en != "" {
		zh, en = l.zh+"："+zh, l.en+": "+en
	}
	p.problems = append(p.problems, cfgProblem{line, zh, en})
}

func (p *cfgParser) add(n *yaml.Node, l cfgLabel, zh, en string) {
	line := 1
	if n != nil {
		line = n.Line
	}
	p.addAt(line, l, zh, en)
}

func (p *cfgParser) err() error {
	slices.SortStableFunc(p.problems, func(a, b cfgProblem) int { return a.line - b.line })
	var zh, en []string
	for _, pr := range p.problems {
		zh = append(zh, fmt.Sprintf("%s:%d: %s", p.name, pr.line, pr.zh))
		en = append(en, fmt.Sprintf("%s:%d: %s", p.name, pr.line, pr.en))
	}
	return &briefbot.Error{Code: briefbot.EINVALID, Reason: "config",
		Msg: briefbot.Text{ZH: strings.Join(zh, "\n"), EN: strings.Join(en, "\n")}}
}

var (
	cfgIDRE      = regexp.MustCompile(`^[a-z0-9_.-]{1,64}$`)
	cfgSlackRE   = regexp.MustCompile(`^[UW][A-Z0-9]+$`)
	cfgChannelRE = regexp.MustCompile(`^[CG][A-Z0-9]+$`)
	cfgCommandRE = regexp.MustCompile(`^/[a-z0-9_-]{2,32}$`)
)

// The keys each mapping may have, in the order they are listed in messages.
var (
	cfgTopKeys        = []string{"organisation", "language", "command", "members", "committees", "departments", "intake", "calendar", "briefings", "follow_through", "reports"}
	cfgMemberKeys     = []string{"id", "name", "name_en", "slack", "lang", "admin"}
	cfgCommitteeKeys  = []string{"id", "name", "name_en", "office", "channel", "leaders", "clerks", "audience", "briefing"}
	cfgDepartmentKeys = []string{"id", "name", "name_en", "principal", "heads", "members", "sign_off_delegates"}
	cfgDelegateKeys   = []string{"member", "from", "until"}
	cfgSignOffKeys    = []string{"off", "wait_always"}
	cfgIntakeKeys     = []string{"categories", "request_phrases", "allow_level_skip", "member_drafts", "sign_off",
		"max_title", "max_body", "max_field", "max_copied", "max_related", "max_attachments", "max_restricted",
		"file_types", "max_file_size", "max_files"}
)

func (p *cfgParser) parse(data []byte) *Config {
	c := &Config{Command: defaultCommand, Calendar: schedules.DefaultCalendar(), CatchUp: schedules.DefaultWindow,
		Scoring: briefings.DefaultScoring(),
		Rules: briefbot.Rules{Intake: briefbot.DefaultIntakeRules(), Lang: briefbot.LangZH, Location: briefbot.DefaultLocation(),
			FollowThrough: briefbot.DefaultFollowThrough()}}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err == io.EOF || (err == nil && (len(doc.Content) == 0 || cfgIsNull(doc.Content[0]))) {
		p.addAt(1, cfgLabel{}, "文件为空：至少需要 organisation、committees 和 departments",
			"the file is empty: it needs at least organisation, committees and departments")
		return nil
	} else if err != nil {
		p.syntax(data, err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		if len(extra.Content) > 0 && extra.Content[0].ShortTag() != "!!null" {
			p.add(&extra, cfgLabel{}, `只能有一个 YAML 文档：这里用 "---" 开始了第二个`,
				`only one YAML document is allowed: a second one starts here with "---"`)
		}
	} else if err != io.EOF {
		p.syntax(data, err)
	}

	root := cfgDeref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		p.add(root, cfgLabel{}, "顶层必须是键值映射（organisation:、members: 等），不能是"+cfgKindZH(root),
			"the top level must be a mapping of keys (organisation:, members: ...), not "+cfgKindEN(root))
		return nil
	}
	top := p.fields(root, cfgLabel{}, cfgTopKeys)

	// organisation
	if n, ok := top["organisation"]; !ok {
		p.add(root, cfgLabel{}, "缺少 organisation（单位名称）", "organisation (the name of the organisation) is required")
	} else if s, ok := p.text(n, cfgLabel{}, "organisation"); ok {
		if s == "" {
			p.add(n, cfgLabel{}, "organisation（单位名称）不能为空", "organisation (the name of the organisation) must not be empty")
		}
		c.Rules.Org.Name = s
	}
	if n, ok := top["language"]; ok {
		if l, ok := p.lang(n, cfgLabel{}, "language"); ok {
			c.Rules.Lang = l
		}
	}
	if n, ok := top["command"]; ok {
		if s, ok := p.text(n, cfgLabel{}, "command"); ok {
			if !cfgCommandRE.MatchString(s) {
				p.add(n, cfgLabel{}, fmt.Sprintf(`command %q 格式不对：须为 "/" 加 2 到 32 个小写字母、数字、_ 或 -，如 /matter`, s),
					fmt.Sprintf(`command %q must be "/" followed by 2 to 32 of a-z, 0-9, "_" and "-", e.g. /matter`, s))
			}
			c.Command = s
		}
	}

	members := p.members(top["members"], c)
	committeeIDs := p.committees(root, top["committees"], c, members)
	p.departments(root, top["departments"], c, members, committeeIDs)
	if n, ok := top["intake"]; ok {
		p.intake(n, &c.Rules.Intake)
	}
	if n, ok := top["calendar"]; ok {
		p.calendar(n, c)
	}
	if n, ok := top["briefings"]; ok {
		p.briefingsTop(n, c)
	}
	if n, ok := top["follow_through"]; ok {
		p.followThrough(n, c)
	}
	if n, ok := top["reports"]; ok {
		p.reports(n, c)
	}
	c.Rules.Calendar = c.Calendar
	return c
}

// syntax records a YAML syntax error with the best line we can find for it.
func (p *cfgParser) syntax(data []byte, err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line, problem := 0, msg
	if m := cfgLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		problem = m[2]
	}
	p.addAt(yamlErrorLine(data, line, problem), cfgLabel{}, "YAML 语法错误："+problem, "YAML syntax error: "+problem)
}

var (
	cfgLineRE   = regexp.MustCompile(`(?s)^line (\d+): (.*)$`)
	cfgAnchorRE = regexp.MustCompile(`^(?:unknown anchor|anchor) '([^']*)'`)
)

// yamlParserProblems are the problems the YAML parser (as opposed to its scanner)
// reports. The parser gives a zero-based line, and leaves it out when it is zero; the
// scanner gives a one-based one.
var yamlParserProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"did not find expected node content", "did not find expected '-' indicator",
	"did not find expected key", "did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found undefined tag handle", "found duplicate %YAML directive", "found incompatible YAML document",
	"found duplicate %TAG directive",
}

// yamlErrorLine turns the line the YAML library reported for problem into the
// one-based line of the problem itself. The library reports the start of the
// construct it was reading (a block, a scalar), not where the problem is; so from that
// line on it looks for the first line whose addition makes the text fail with the same
// problem. Unfinished flow collections ([a, b or {a: b) are left at their start, the
// most useful line for them.
func yamlErrorLine(data []byte, reported int, problem string) int {
	lines := strings.SplitAfter(string(data), "\n")
	if m := cfgAnchorRE.FindStringSubmatch(problem); m != nil {
		mark := "*"
		if !strings.HasPrefix(problem, "unknown") {
			mark = "&"
		}
		for i, l := range lines {
			if strings.Contains(l, mark+m[1]) {
				return i + 1
			}
		}
		return 1
	}
	start := max(reported, 1)
	if slices.Contains(yamlParserProblems, problem) {
		start = reported + 1
	}
	start = min(start, max(len(lines), 1))
	switch problem {
	case "did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected node content":
		return start
	}
	if len(lines) > 5000 {
		return start
	}
	for k := start; k <= len(lines); k++ {
		err := parseAllYAML([]byte(strings.Join(lines[:k], "")))
		if err == nil {
			continue
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := cfgLineRE.FindStringSubmatch(msg); m != nil {
			msg = m[2]
		}
		if msg == problem {
			return k
		}
	}
	return start
}

func parseAllYAML(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// cfgDeref follows an alias to the node it names.
func cfgDeref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func cfgIsNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

func cfgKindZH(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "列表"
	case yaml.MappingNode:
		return "映射"
	}
	return fmt.Sprintf("单个值 %q", n.Value)
}

func cfgKindEN(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	}
	return fmt.Sprintf("the single value %q", n.Value)
}

// fields returns the values of mapping n by key, refusing keys not in known and keys
// given twice, each at the key's line. l names the mapping ("" for the top level).
func (p *cfgParser) fields(n *yaml.Node, l cfgLabel, known []string) map[string]*yaml.Node {
	m := map[string]*yaml.Node{}
	keyLine := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := cfgDeref(n.Content[i]), cfgDeref(n.Content[i+1])
		key := k.Value
		if k.Kind != yaml.ScalarNode {
			p.add(k, l, "键必须是单个名称", "a key must be a plain name")
			continue
		}
		if !slices.Contains(known, key) {
			list := strings.Join(known, ", ")
			if l.en == "" {
				p.add(k, l, fmt.Sprintf("未知的顶层字段 %q；可用字段：%s", key, list),
					fmt.Sprintf("unknown top-level field %q; known fields: %s", key, list))
			} else {
				p.add(k, cfgLabel{}, fmt.Sprintf("%s 中有未知字段 %q；可用字段：%s", l.zh, key, list),
					fmt.Sprintf("unknown field %q in %s; known fields: %s", key, l.en, list))
			}
			continue
		}
		if first, dup := keyLine[key]; dup {
			p.add(k, l, fmt.Sprintf("字段 %s 重复（第 %d 行已给出）", key, first),
				fmt.Sprintf("field %s is given twice (first on line %d)", key, first))
			continue
		}
		keyLine[key] = k.Line
		m[key] = v
	}
	return m
}

// text returns the single value of n, trimmed; null is "". Anything else is a problem.
func (p *cfgParser) text(n *yaml.Node, l cfgLabel, key string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		p.add(n, l, fmt.Sprintf("%s 应当是单个值，不能是%s", key, cfgKindZH(n)),
			fmt.Sprintf("%s must be a single value, not %s", key, cfgKindEN(n)))
		return "", false
	}
	if cfgIsNull(n) {
		return "", true
	}
	return strings.TrimSpace(n.Value), true
}

func (p *cfgParser) boolean(n *yaml.Node, l cfgLabel, key string) (bool, bool) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		p.add(n, l, fmt.Sprintf("%s 只能是 true 或 false，不能是%s", key, cfgKindZH(n)),
			fmt.Sprintf("%s must be true or false, not %s", key, cfgKindEN(n)))
		return false, false
	}
	return b, true
}

// positive returns the whole number n holds, which must be above zero.
func (p *cfgParser) positive(n *yaml.Node, l cfgLabel, key string) (int, bool) {
	var i int
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil || i <= 0 {
		p.add(n, l, fmt.Sprintf("%s 必须是正整数，不能是%s", key, cfgKindZH(n)),
			fmt.Sprintf("%s must be a positive whole number, not %s", key, cfgKindEN(n)))
		return 0, false
	}
	return i, true
}

func (p *cfgParser) lang(n *yaml.Node, l cfgLabel, key string) (briefbot.Lang, bool) {
	s, ok := p.text(n, l, key)
	if !ok {
		return "", false
	}
	switch briefbot.Lang(s) {
	case briefbot.LangZH, briefbot.LangEN:
		return briefbot.Lang(s), true
	}
	p.add(n, l, fmt.Sprintf("%s 只能是 zh 或 en，不能是 %q", key, s),
		fmt.Sprintf("%s must be zh or en, not %q", key, s))
	return "", false
}

// cfgItem is one entry of a list of names, with its line.
type cfgItem struct {
	value string
	node  *yaml.Node
}

// list returns the entries of a list of single values (null is an empty list),
// refusing blank and repeated entries.
func (p *cfgParser) list(n *yaml.Node, l cfgLabel, key string) []cfgItem {
	if cfgIsNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.add(n, l, fmt.Sprintf("%s 应当是列表（如 [a, b]），不能是%s", key, cfgKindZH(n)),
			fmt.Sprintf("%s must be a list (e.g. [a, b]), not %s", key, cfgKindEN(n)))
		return nil
	}
	var items []cfgItem
	for _, e := range n.Content {
		e = cfgDeref(e)
		if e.Kind != yaml.ScalarNode {
			p.add(e, l, fmt.Sprintf("%s 中的每一项应当是单个值，不能是%s", key, cfgKindZH(e)),
				fmt.Sprintf("each entry of %s must be a single value, not %s", key, cfgKindEN(e)))
			continue
		}
		s, _ := p.text(e, l, key)
		if s == "" {
			p.add(e, l, fmt.Sprintf("%s 中有空项", key), fmt.Sprintf("%s has an empty entry", key))
			continue
		}
		if slices.ContainsFunc(items, func(it cfgItem) bool { return it.value == s }) {
			p.add(e, l, fmt.Sprintf("%s 中 %q 重复", key, s), fmt.Sprintf("%q is listed twice in %s", s, key))
			continue
		}
		items = append(items, cfgItem{s, e})
	}
	return items
}

// seq returns the entries of the list under key, or nil (with a problem) if it is not
// a list.
func (p *cfgParser) seq(n *yaml.Node, key string) []*yaml.Node {
	if n == nil || cfgIsNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.add(n, cfgLabel{}, fmt.Sprintf("%s 应当是列表（每项以 - 开头），不能是%s", key, cfgKindZH(n)),
			fmt.Sprintf("%s must be a list (each entry starting with -), not %s", key, cfgKindEN(n)))
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, e := range n.Content {
		out[i] = cfgDeref(e)
	}
	return out
}

// entry checks that e, the i-th entry of a list of things, is a mapping, and returns
// its label (`committee "party"`, or `committee #2` while its id is unusable), its
// fields and its id ("" if missing or malformed, with a problem recorded).
func (p *cfgParser) entry(e *yaml.Node, i int, zh, en string, known []string) (cfgLabel, map[string]*yaml.Node, string, bool) {
	l := cfgLabel{fmt.Sprintf("第 %d 个%s", i+1, zh), fmt.Sprintf("%s #%d", en, i+1)}
	if e.Kind != yaml.MappingNode {
		p.add(e, l, fmt.Sprintf("应当是映射（id: ...、name: ...），不能是%s", cfgKindZH(e)),
			fmt.Sprintf("must be a mapping (id: ..., name: ...), not %s", cfgKindEN(e)))
		return l, nil, "", false
	}
	// The id names the entry in every message about it, so find it first.
	var idNode *yaml.Node
	for j := 0; j+1 < len(e.Content); j += 2 {
		if cfgDeref(e.Content[j]).Value == "id" {
			idNode = cfgDeref(e.Content[j+1])
			break
		}
	}
	id := ""
	if idNode != nil && idNode.Kind == yaml.ScalarNode && !cfgIsNull(idNode) {
		if s := strings.TrimSpace(idNode.Value); cfgIDRE.MatchString(s) {
			id = s
			l = cfgLabel{fmt.Sprintf("%s %q", zh, id), fmt.Sprintf("%s %q", en, id)}
		}
	}
	f := p.fields(e, l, known)
	if n, ok := f["id"]; !ok {
		p.add(e, l, "缺少 id", "id is required")
	} else if s, ok := p.text(n, l, "id"); ok && id == "" {
		if s == "" {
			p.add(n, l, "id 不能为空", "id must not be empty")
		} else {
			p.add(n, l, fmt.Sprintf("id %q 格式不对：只能用小写字母、数字、_ . -，最多 64 个字符", s),
				fmt.Sprintf(`id %q is not well-formed: use lower-case letters, digits, "_", "." and "-", at most 64`, s))
		}
	}
	return l, f, id, true
}

// cfgMemberSet holds the member ids defined, with the line of each.
type cfgMemberSet map[briefbot.MemberID]int

func (p *cfgParser) members(n *yaml.Node, c *Config) cfgMemberSet {
	ids := cfgMemberSet{}
	slackOwner := map[string]struct {
		id   string
		line int
	}{}
	for i, e := range p.seq(n, "members") {
		l, f, id, ok := p.entry(e, i, "成员", "member", cfgMemberKeys)
		if !ok {
			continue
		}
		m := briefbot.Member{ID: briefbot.MemberID(id), Lang: c.Rules.Lang}
		if id != "" {
			if first, dup := ids[m.ID]; dup {
				p.add(f["id"], l, fmt.Sprintf("成员 id %q 重复（第 %d 行已使用）", id, first),
					fmt.Sprintf("member id %q is used twice (first on line %d)", id, first))
			} else {
				ids[m.ID] = f["id"].Line
			}
		}
		if v, ok := f["name"]; ok {
			m.Name, _ = p.text(v, l, "name")
		}
		if v, ok := f["name_en"]; ok {
			m.NameEN, _ = p.text(v, l, "name_en")
		}
		if v, ok := f["slack"]; ok {
			if s, ok := p.text(v, l, "slack"); ok && s != "" {
				if !cfgSlackRE.MatchString(s) {
					p.add(v, l, fmt.Sprintf("slack %q 不是 Slack 用户 ID（U 或 W 开头，后接大写字母和数字，如 U0123ABCD）", s),
						fmt.Sprintf("slack %q is not a Slack user id (U or W followed by upper-case letters and digits, e.g. U0123ABCD)", s))
				} else if o, dup := slackOwner[s]; dup {
					p.add(v, l, fmt.Sprintf("Slack ID %q 已被成员 %q 使用（第 %d 行）", s, o.id, o.line),
						fmt.Sprintf("slack id %q is already used by member %q (line %d)", s, o.id, o.line))
				} else {
					slackOwner[s] = struct {
						id   string
						line int
					}{id, v.Line}
				}
				m.SlackID = s
			}
		}
		if v, ok := f["lang"]; ok && !cfgIsNull(v) {
			if lang, ok := p.lang(v, l, "lang"); ok {
				m.Lang = lang
			}
		}
		if v, ok := f["admin"]; ok {
			m.Admin, _ = p.boolean(v, l, "admin")
		}
		c.Rules.Org.Members = append(c.Rules.Org.Members, m)
	}
	return ids
}

// refs returns the member ids listed under key, refusing those that are not members.
func (p *cfgParser) refs(f map[string]*yaml.Node, l cfgLabel, key, roleZH, roleEN string, members cfgMemberSet) []briefbot.MemberID {
	n, ok := f[key]
	if !ok {
		return nil
	}
	var ids []briefbot.MemberID
	for _, it := range p.list(n, l, key) {
		if p.ref(it.node, l, it.value, key, roleZH, roleEN, members) {
			ids = append(ids, briefbot.MemberID(it.value))
		}
	}
	return ids
}

func (p *cfgParser) ref(n *yaml.Node, l cfgLabel, id, key, roleZH, roleEN string, members cfgMemberSet) bool {
	if _, ok := members[briefbot.MemberID(id)]; ok {
		return true
	}
	p.add(n, l, fmt.Sprintf("%s（%s）%q 不是成员：members 中没有这个 id", roleZH, key, id),
		fmt.Sprintf("%s %q is not a member", roleEN, id))
	return false
}

// atLeastOne records a problem if a section that needs at least one entry has none.
func (p *cfgParser) atLeastOne(root, n *yaml.Node, entries int, key, zh, en string) {
	if entries > 0 {
		return
	}
	at := root
	if n != nil {
		at = n
	}
	p.add(at, cfgLabel{}, fmt.Sprintf("%s 下至少要有一个%s", key, zh), fmt.Sprintf("at least one %s is required under %s", en, key))
}

// entries reads the list under key (at least one entry required) and calls fn for
// each well-formed entry with its label, fields and id, once its id is known to be new:
// a duplicate id, or one that taken says another list holds, is reported instead. It
// returns the line each id is defined on.
func (p *cfgParser) entries(root, n *yaml.Node, key, zh, en string, known []string, taken func(id string) (line int, zh, en string, ok bool),
	fn func(e *yaml.Node, l cfgLabel, f map[string]*yaml.Node, id string)) map[string]int {
	ids := map[string]int{}
	list := p.seq(n, key)
	if n == nil || cfgIsNull(n) || n.Kind == yaml.SequenceNode {
		p.atLeastOne(root, n, len(list), key, zh, en)
	}
	for i, e := range list {
		l, f, id, ok := p.entry(e, i, zh, en, known)
		if !ok {
			continue
		}
		if id != "" {
			if first, dup := ids[id]; dup {
				p.add(f["id"], l, fmt.Sprintf("%s id %q 重复（第 %d 行已使用）", zh, id, first),
					fmt.Sprintf("%s id %q is used twice (first on line %d)", en, id, first))
			} else if line, otherZH, otherEN, clash := taken(id); clash {
				p.add(f["id"], l, fmt.Sprintf("%s id %q 与第 %d 行的%s id 相同，须另取一个", zh, id, line, otherZH),
					fmt.Sprintf("%s id %q is already a %s's id (line %d); choose another", en, id, otherEN, line))
			} else {
				ids[id] = f["id"].Line
			}
		}
		fn(e, l, f, id)
	}
	return ids
}

// committees reads the committees and returns the line each id is defined on.
func (p *cfgParser) committees(root, n *yaml.Node, c *Config, members cfgMemberSet) map[string]int {
	none := func(string) (int, string, string, bool) { return 0, "", "", false }
	return p.entries(root, n, "committees", "委员会", "committee", cfgCommitteeKeys, none, func(e *yaml.Node, l cfgLabel, f map[string]*yaml.Node, id string) {
		cm := briefbot.Committee{ID: briefbot.CommitteeID(id)}
		cm.Name = p.entryName(e, f, l)
		if v, ok := f["name_en"]; ok {
			cm.NameEN, _ = p.text(v, l, "name_en")
		}
		if v, ok := f["office"]; ok {
			cm.Office, _ = p.text(v, l, "office")
		}
		if v, ok := f["channel"]; ok {
			if s, ok := p.text(v, l, "channel"); ok && s != "" {
				if !cfgChannelRE.MatchString(s) {
					p.add(v, l, fmt.Sprintf("channel %q 不是 Slack 频道 ID（C 或 G 开头，后接大写字母和数字，如 C0123ABCD）", s),
						fmt.Sprintf("channel %q is not a Slack channel id (C or G followed by upper-case letters and digits, e.g. C0123ABCD)", s))
				}
				cm.Channel = s
			}
		}
		if v, ok := f["briefing"]; ok && id != "" {
			p.committeeBriefing(v, l, &cm, c)
		}
		cm.Leaders = p.refs(f, l, "leaders", "领导", "leader", members)
		cm.Clerks = p.refs(f, l, "clerks", "办文人员", "clerk", members)
		cm.Audience = p.refs(f, l, "audience", "频道成员", "channel audience member", members)
		if _, given := f["leaders"]; !given || p.emptyList(f["leaders"]) {
			p.add(cfgAt(e, f["leaders"]), l, "至少要有一名领导（leaders）", "at least one leader is required (leaders:)")
		}
		if _, given := f["clerks"]; !given || p.emptyList(f["clerks"]) {
			p.add(cfgAt(e, f["clerks"]), l, "至少要有一名办文人员（clerks），由其登记、呈批和代录批示",
				"at least one clerk is required (clerks:), to register matters and record instructions")
		}
		c.Rules.Org.Committees = append(c.Rules.Org.Committees, cm)
	})
}

// section reads n as the mapping named key, with the fields known, labelled l; hint
// names a few of them for the problem reported (under at) when n is not a mapping,
// and then ok is false.
func (p *cfgParser) section(n *yaml.Node, at, l cfgLabel, key string, hint cfgLabel, known []string) (f map[string]*yaml.Node, ok bool) {
	if n.Kind != yaml.MappingNode {
		zh, en := key+" 应当是映射", key+" must be a mapping"
		if hint.zh != "" {
			zh, en = zh+"（"+hint.zh+"）", en+" ("+hint.en+")"
		}
		p.add(n, at, zh+"，不能是"+cfgKindZH(n), en+", not "+cfgKindEN(n))
		return nil, false
	}
	return p.fields(n, l, known), true
}

// emptyList reports whether n is an empty list or null (not a wrongly typed value,
// which has its own problem).
func (p *cfgParser) emptyList(n *yaml.Node) bool {
	return cfgIsNull(n) || (n.Kind == yaml.SequenceNode && len(n.Content) == 0)
}

// cfgAt returns n if given, else the entry e: where to report a missing or empty field.
func cfgAt(e, n *yaml.Node) *yaml.Node {
	if n != nil {
		return n
	}
	return e
}

// entryName reads an entry's required name.
func (p *cfgParser) entryName(e *yaml.Node, f map[string]*yaml.Node, l cfgLabel) string {
	v, ok := f["name"]
	if !ok {
		p.add(e, l, "缺少 name（名称）", "name is required")
		return ""
	}
	s, ok := p.text(v, l, "name")
	if ok && s == "" {
		p.add(v, l, "name（名称）不能为空", "name must not be empty")
	}
	return s
}

func (p *cfgParser) departments(root, n *yaml.Node, c *Config, members cfgMemberSet, committeeIDs map[string]int) {
	committee := func(id string) (int, string, string, bool) {
		line, ok := committeeIDs[id]
		return line, "委员会", "committee", ok
	}
	p.entries(root, n, "departments", "部门", "department", cfgDepartmentKeys, committee, func(e *yaml.Node, l cfgLabel, f map[string]*yaml.Node, id string) {
		d := briefbot.Department{ID: briefbot.DepartmentID(id)}
		d.Name = p.entryName(e, f, l)
		if v, ok := f["name_en"]; ok {
			d.NameEN, _ = p.text(v, l, "name_en")
		}
		if v, ok := f["principal"]; !ok {
			p.add(e, l, "缺少主要负责人（principal），他是部门唯一的签发人",
				"principal is required: the department's principal leader, its only signatory")
		} else if s, ok := p.text(v, l, "principal"); ok {
			if s == "" {
				p.add(v, l, "主要负责人（principal）不能为空", "principal must not be empty")
			} else if p.ref(v, l, s, "principal", "主要负责人", "principal", members) {
				d.Principal = briefbot.MemberID(s)
			}
		}
		d.Heads = p.refs(f, l, "heads", "负责人", "head", members)
		d.Members = p.refs(f, l, "members", "部门成员", "member", members)
		if v, ok := f["sign_off_delegates"]; ok {
			d.Delegates = p.delegates(v, l, &d, c.Rules.Loc())
		}
		c.Rules.Org.Departments = append(c.Rules.Org.Departments, d)
	})
}

func (p *cfgParser) intake(n *yaml.Node, r *briefbot.IntakeRules) {
	if cfgIsNull(n) {
		return
	}
	l := cfgLabel{"受理规则 intake", "intake"}
	f, ok := p.section(n, cfgLabel{}, l, "intake", cfgLabel{"categories:、max_title: 等", "categories:, max_title: ..."}, cfgIntakeKeys)
	if !ok {
		return
	}
	values := func(items []cfgItem) []string {
		out := []string{}
		for _, it := range items {
			out = append(out, it.value)
		}
		return out
	}
	if v, ok := f["categories"]; ok {
		r.Categories = values(p.list(v, l, "categories"))
	}
	if v, ok := f["request_phrases"]; ok {
		r.RequestPhrases = values(p.list(v, l, "request_phrases"))
	}
	if v, ok := f["allow_level_skip"]; ok {
		r.AllowLevelSkip, _ = p.boolean(v, l, "allow_level_skip")
	}
	if v, ok := f["member_drafts"]; ok {
		r.MemberDrafts, _ = p.boolean(v, l, "member_drafts")
	}
	if v, ok := f["sign_off"]; ok {
		if so, ok := p.section(v, l, l, "sign_off", cfgLabel{"off:、wait_always:", "off:, wait_always:"}, cfgSignOffKeys); ok {
			if b, ok := so["off"]; ok {
				r.SignOff.Off, _ = p.boolean(b, l, "off")
			}
			if b, ok := so["wait_always"]; ok {
				r.SignOff.WaitAlways, _ = p.boolean(b, l, "wait_always")
			}
		}
	}
	p.intakeFiles(f, l, r)
	for key, dst := range map[string]*int{
		"max_title": &r.MaxTitle, "max_body": &r.MaxBody, "max_field": &r.MaxField,
		"max_copied": &r.MaxCopied, "max_related": &r.MaxRelated,
		"max_attachments": &r.MaxAttachments, "max_restricted": &r.MaxRestricted,
	} {
		if v, ok := f[key]; ok {
			if i, ok := p.positive(v, l, key); ok {
				*dst = i
			}
		}
	}
}

// intakeFiles reads the attached files' rules: their types (extensions; [] switches
// files off), the largest size in MB, and how many one matter may hold.
//
//	file_types: [pdf, ofd, docx]
//	max_file_size: 20
//	max_files: 10
func (p *cfgParser) intakeFiles(f map[string]*yaml.Node, l cfgLabel, r *briefbot.IntakeRules) {
	if v, ok := f["file_types"]; ok {
		r.FileTypes = []string{}
		for _, it := range p.list(v, l, "file_types") {
			t := strings.ToLower(strings.TrimPrefix(it.value, "."))
			if t == "" || strings.ContainsAny(t, "./\\ ") {
				p.add(v, l, fmt.Sprintf("file_types 中的 %q 不是文件类型（应写扩展名，如 pdf）", it.value),
					fmt.Sprintf("%q in file_types is not a file type (write the extension, e.g. pdf)", it.value))
				continue
			}
			if !slices.Contains(r.FileTypes, t) {
				r.FileTypes = append(r.FileTypes, t)
			}
		}
	}
	if v, ok := f["max_file_size"]; ok {
		if mb, ok := p.positive(v, l, "max_file_size"); ok {
			if mb > maxFileSizeMB {
				p.add(v, l, fmt.Sprintf("max_file_size 以 MB 计，不能超过 %d", maxFileSizeMB),
					fmt.Sprintf("max_file_size is in MB, at most %d", maxFileSizeMB))
			} else {
				r.MaxFileSize = int64(mb) << 20
			}
		}
	}
	if v, ok := f["max_files"]; ok {
		if n, ok := p.positive(v, l, "max_files"); ok {
			r.MaxFiles = n
		}
	}
}

// maxFileSizeMB bounds intake.max_file_size: a file is held in the store and sent
// whole to whoever exports it.
const maxFileSizeMB = 1024

// delegates reads a department's 授权签发: each a head of d, with the first and last
// day (whole days in loc; without until, until revoked).
//
//	sign_off_delegates:
//	  - member: wu
//	    from: 2026-12-01
//	    until: 2026-12-31
func (p *cfgParser) delegates(n *yaml.Node, l cfgLabel, d *briefbot.Department, loc *time.Location) []briefbot.Delegation {
	var out []briefbot.Delegation
	if n.Kind != yaml.SequenceNode {
		p.add(n, l, "sign_off_delegates 应当是列表（- member: …）", "sign_off_delegates must be a list (- member: …)")
		return nil
	}
	day := func(f map[string]*yaml.Node, key string, end bool) time.Time {
		v, ok := f[key]
		if !ok {
			return time.Time{}
		}
		s, ok := p.text(v, l, key)
		if !ok || s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			p.add(v, l, fmt.Sprintf("%s %q 不是日期（如 2026-12-31）", key, s), fmt.Sprintf("%s %q is not a date (e.g. 2026-12-31)", key, s))
			return time.Time{}
		}
		if end {
			return t.AddDate(0, 0, 1).Add(-time.Nanosecond)
		}
		return t
	}
	for _, e := range n.Content {
		if e.Kind != yaml.MappingNode {
			p.add(e, l, "授权签发的每一项应当是映射（member:、from:、until:）", "each sign-off delegate must be a mapping (member:, from:, until:)")
			continue
		}
		f := p.fields(e, l, cfgDelegateKeys)
		v, ok := f["member"]
		if !ok {
			p.add(e, l, "授权签发缺少 member（被授权的负责人）", "a sign-off delegate needs member: (the head delegated to)")
			continue
		}
		id, _ := p.text(v, l, "member")
		if !d.IsHead(briefbot.MemberID(id)) || briefbot.MemberID(id) == d.Principal {
			p.add(v, l, fmt.Sprintf("授权签发只能授予本部门的其他负责人（heads），%q 不是", id),
				fmt.Sprintf("sign-off may be delegated only to another head of the department (heads:); %q is not one", id))
			continue
		}
		g := briefbot.Delegation{Member: briefbot.MemberID(id), From: day(f, "from", false), Until: day(f, "until", true)}
		if !g.Until.IsZero() && g.Until.Before(g.From) {
			p.add(e, l, "授权签发的 until 早于 from", "a sign-off delegation's until is before its from")
			continue
		}
		out = append(out, g)
	}
	return out
}
