// Package console is the local transport: a line-oriented chat with the bot on a
// terminal or a pipe, using the same flows as Slack. Block Kit is printed as text,
// modals become prompted forms, /as switches identity.
package console

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/delivery"
	"github.com/briefbot/briefbot/notices"
)

// Printer is the console's output: what the bot answers and what it posts on its own
// (it is the outbox's Sender), printed addressed, with the buttons numbered for /click.
type Printer struct {
	out   io.Writer
	rules func() *briefbot.Rules
	me    func() briefbot.MemberID

	mu     sync.Mutex           // serialises writes to out: the outbox prints from its own goroutine
	clicks map[string]clickable // by name: the buttons shown in this session
	seq    int                  // console "ts" of posted messages
}

// NewPrinter returns a printer writing to out, naming channels and members by rules.
func NewPrinter(out io.Writer, rules func() *briefbot.Rules) *Printer {
	return &Printer{out: out, rules: rules, me: func() briefbot.MemberID { return "" }, clicks: map[string]clickable{}}
}

func (p *Printer) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.out, format, args...)
}

// show prints head and msg, with its buttons by name.
func (p *Printer) show(head string, msg blockkit.Message) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	b.WriteString(head)
	if len(msg.Blocks) == 0 {
		b.WriteString(plainText(msg.Text) + "\n")
	} else {
		for _, k := range render(&b, msg.Blocks) {
			p.clicks[k.name()] = k
		}
	}
	fmt.Fprintf(p.out, "%s\n", b.String())
}

// click is the button shown under name in this session.
func (p *Printer) click(name string) (clickable, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k, ok := p.clicks[strings.Join(strings.Fields(name), " ")]
	return k, ok
}

// Send implements delivery.Sender: what the bot posts to a channel or a member's DM on
// its own (receipts, briefings, alerts) is printed, addressed.
func (p *Printer) Send(_ context.Context, to delivery.Address, post delivery.Post) (string, error) {
	org := &p.rules().Org
	name := to.Channel
	switch {
	case to.Member != nil && to.Member.ID == p.me():
		name = "私信 / DM"
	case to.Member != nil:
		name = "私信 " + to.Member.Name
	default:
		for _, c := range org.Committees {
			if c.Channel == to.Channel {
				name = c.Name + " 频道"
			}
		}
	}
	if post.ThreadTS != "" {
		name += "（跟帖 / in thread）"
	}
	msg := blockkit.Message{Text: post.Text}
	if len(post.Blocks) > 0 {
		_ = json.Unmarshal(post.Blocks, &msg.Blocks)
	}
	p.mu.Lock()
	p.seq++
	ts := fmt.Sprintf("console.%06d", p.seq)
	p.mu.Unlock()
	p.show(fmt.Sprintf("（→ %s）\n", name), msg)
	return ts, nil
}

// Console is one terminal session: lines typed are direct messages to the bot, the
// slash command, or console commands (/as, /click …).
type Console struct {
	bot     *bot.Bot
	print   *Printer
	deliver func(ctx context.Context) error // what the bot said on its own goes out after each answer

	in *bufio.Scanner
	me briefbot.MemberID
}

// New returns a console reading in, printing through p, acting as member as. After
// each answer it runs deliver (the outbox), so what the bot says on its own prints
// right after the answer that caused it.
func New(in io.Reader, p *Printer, as briefbot.MemberID, b *bot.Bot, deliver func(ctx context.Context) error) *Console {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	c := &Console{bot: b, print: p, deliver: deliver, in: sc, me: as}
	p.me = func() briefbot.MemberID { return c.me }
	return c
}

func (c *Console) printf(format string, args ...any) { c.print.printf(format, args...) }

const consoleHelp = `本地控制台 / local console
  直接输入 = 私信机器人（如 help、new、status QS-2026-0001、list）   plain text = a DM to the bot
  %[1]s <命令> = 斜杠命令（new 会打开表单）                          %[1]s <words> = the slash command (new opens the form)
  /as <成员>   切换身份 / act as another member
  /whoami     当前身份 / who am I
  /home       App Home
  /click 按钮  按下按钮，如 /click 批示 QS-2026-0001 / press a button by its name
  /attach 路径 在私信报送中发送本地文件作附件 / share a local file in the DM intake
  /members    列出成员 / list members
  /quit       退出 / quit
`

// Run reads lines until EOF, /quit or ctx is done.
func (c *Console) Run(ctx context.Context) error {
	c.printf("briefbot 本地控制台（%s）。输入 /help 查看用法。/ Local console; /help for help.\n", c.bot.Rules().Org.Name)
	c.whoami()
	for ctx.Err() == nil {
		c.printf("> ")
		if !c.in.Scan() {
			c.printf("\n")
			return c.in.Err()
		}
		line := strings.TrimSpace(c.in.Text())
		if line == "" {
			continue
		}
		if !c.line(ctx, line) {
			return nil
		}
	}
	return ctx.Err()
}

// line runs one line and then the outbox; a panic in either is answered with the
// apology and its incident id (logged by the bot), and the console carries on with
// the next line.
func (c *Console) line(ctx context.Context, line string) (goOn bool) {
	defer func() {
		if r := recover(); r != nil {
			c.respond(ctx, c.bot.Panicked("console", r))
			goOn = true
		}
	}()
	if !c.handle(ctx, line) {
		return false
	}
	if c.deliver != nil {
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := c.deliver(dctx); err != nil {
			c.printf("（发送失败，稍后重试 / sending failed; it will be retried: %v）\n", err)
		}
	}
	return true
}

// handle runs one line; it returns false to stop.
func (c *Console) handle(ctx context.Context, line string) bool {
	rules := c.bot.Rules()
	cmd, rest, _ := strings.Cut(line, " ")
	rest = strings.TrimSpace(rest)
	user := bot.User{Member: c.me}
	switch {
	case cmd == "/quit" || cmd == "/exit":
		return false
	case cmd == "/help":
		c.printf(consoleHelp, c.bot.SlashCommand())
	case cmd == "/as":
		c.switchTo(rest)
	case cmd == "/whoami":
		c.whoami()
	case cmd == "/members":
		for _, m := range rules.Org.Members {
			c.printf("  %-12s %-8s %s\n", m.ID, m.Name, strings.Join(rules.Org.Roles(m.ID, briefbot.LangZH), "、"))
		}
	case cmd == "/attach":
		c.attach(ctx, rest)
	case cmd == "/home":
		c.print.show("", blockkit.Message{Blocks: c.bot.Home(ctx, user)})
	case cmd == "/click":
		if k, ok := c.print.click(rest); ok || c.stepButton(rest, &k) {
			c.respond(ctx, c.bot.Action(ctx, bot.ActionInput{User: user, ActionID: k.actionID, Value: k.value, CanOpenModal: true}))
			return true
		}
		// Any other name is taken as typed (list mine page 2 …); the bot says if it is
		// not understood.
		c.respond(ctx, c.bot.Command(ctx, bot.CommandInput{User: user, Text: rest, CanOpenModal: true}))
	case cmd == c.bot.SlashCommand():
		c.respond(ctx, c.bot.Command(ctx, bot.CommandInput{User: user, Text: rest, CanOpenModal: true}))
	case strings.HasPrefix(cmd, "/"):
		c.printf("未知的控制台命令 %s，输入 /help 查看。/ Unknown console command; /help.\n", cmd)
	default:
		c.respond(ctx, c.bot.DM(ctx, bot.CommandInput{User: user, Text: line}))
	}
	return true
}

func (c *Console) whoami() {
	if m, ok := c.bot.Rules().Org.Member(c.me); ok {
		c.printf("当前身份 / acting as: %s（%s）\n", m.Name, m.ID)
	} else {
		c.printf("当前身份 %q 不在组织配置中。/ %q is not in the org config.\n", c.me, c.me)
	}
}

// stepButton reads name as a step's or a card's button shown in any session — its
// label in either language and the matter's number ("批示 QS-2026-0001", "查看详情
// QS-2026-0001") — into k: the same button, whatever was shown before.
func (c *Console) stepButton(name string, k *clickable) bool {
	fields := strings.Fields(name)
	if len(fields) < 2 {
		return false
	}
	label, value := strings.Join(fields[:len(fields)-1], " "), fields[len(fields)-1]
	if _, err := briefbot.ParseRef(value); err != nil {
		return false
	}
	rules := c.bot.Rules()
	for _, lang := range []briefbot.Lang{briefbot.LangZH, briefbot.LangEN} {
		r := &notices.Reader{Rules: rules, Lang: lang}
		if strings.EqualFold(label, r.T(notices.DetailsLabel)) {
			*k = clickable{actionID: notices.ActionStatus, value: value, label: label}
			return true
		}
		for _, a := range notices.StepActions {
			if strings.EqualFold(label, r.StepLabel(a)) || strings.EqualFold(label, a.Label(lang)) {
				*k = clickable{actionID: string(a), value: value, label: label}
				return true
			}
		}
	}
	return false
}

// switchTo acts as the member named who: by id or full name, else by the one name
// that contains it (赵 finds 赵书记); several such are listed.
func (c *Console) switchTo(who string) {
	org := &c.bot.Rules().Org
	var partial []briefbot.Member
	for _, m := range org.Members {
		if string(m.ID) == who || m.Name == who {
			c.me = m.ID
			c.whoami()
			return
		}
		if who != "" && (strings.Contains(m.Name, who) || strings.Contains(strings.ToLower(string(m.ID)), strings.ToLower(who))) {
			partial = append(partial, m)
		}
	}
	switch len(partial) {
	case 1:
		c.me = partial[0].ID
		c.whoami()
	case 0:
		c.printf("没有成员 %q；/members 列出全部。/ No member %q; /members lists them.\n", who, who)
	default:
		var names []string
		for _, m := range partial {
			names = append(names, m.Name+"（"+string(m.ID)+"）")
		}
		c.printf("“%s”可指：%s。请写全。/ %q could be: %s; be more precise.\n", who, strings.Join(names, "、"), who, strings.Join(names, ", "))
	}
}

// respond shows a response: a message, or a modal as a prompted form.
func (c *Console) respond(ctx context.Context, r bot.Response) {
	switch {
	case r.Ignore:
	case r.Modal != nil:
		c.form(ctx, *r.Modal)
	case r.Message != nil:
		c.print.show("", *r.Message)
	}
}

// form asks for a modal's inputs one by one, submits them, and asks again for the
// fields the bot refused, until it is accepted or cancelled (/cancel, or end of input).
func (c *Console) form(ctx context.Context, modal slack.ModalViewRequest) {
	user := bot.User{Member: c.me}
	values := map[string]map[string]slack.BlockAction{}
	only := map[string]bool{} // after a refusal: the blocks to ask again
	c.printf("== %s ==（/cancel 取消）\n", modal.Title.Text)
	for _, blk := range modal.Blocks.BlockSet { // what the form is about: the matter's number and title
		switch b := blk.(type) {
		case *slack.SectionBlock:
			if b.Text != nil {
				c.printf("%s\n", plainText(b.Text.Text))
			}
		case *slack.ContextBlock:
			for _, e := range b.ContextElements.Elements {
				if t, ok := e.(*slack.TextBlockObject); ok {
					c.printf("%s\n", plainText(t.Text))
				}
			}
		}
	}
	for {
		restart := false
		for _, blk := range modal.Blocks.BlockSet {
			switch b := blk.(type) {
			case *slack.ActionBlock:
				if len(only) > 0 {
					continue
				}
				for _, e := range b.Elements.ElementSet {
					sel, ok := e.(*slack.SelectBlockElement)
					if !ok {
						continue
					}
					val, ok := c.askSelect("类型 / kind", sel.Options, sel.InitialOption, true)
					if !ok {
						c.printf("已取消。/ Cancelled.\n")
						return
					}
					if sel.InitialOption != nil && val != "" && val != sel.InitialOption.Value {
						r := c.bot.Action(ctx, bot.ActionInput{User: user, ActionID: sel.ActionID, Value: val, PrivateMetadata: modal.PrivateMetadata})
						if r.UpdateView != nil {
							modal = *r.UpdateView
							restart = true
						}
					}
				}
			case *slack.InputBlock:
				if restart || (len(only) > 0 && !only[b.BlockID]) {
					continue
				}
				a, ok := c.askInput(b)
				if !ok {
					c.printf("已取消，没有保存任何内容。/ Cancelled; nothing was saved.\n")
					return
				}
				values[b.BlockID] = map[string]slack.BlockAction{actionIDOf(b.Element): a}
			}
			if restart {
				break
			}
		}
		if restart {
			values = map[string]map[string]slack.BlockAction{}
			continue
		}
		res := c.bot.Submit(ctx, bot.Submission{User: user, CallbackID: modal.CallbackID, PrivateMetadata: modal.PrivateMetadata, Values: values})
		if len(res.Errors) == 0 {
			if res.Message != nil {
				c.print.show("", *res.Message)
			}
			return
		}
		only = map[string]bool{}
		c.printf("请修改以下内容 / Please fix:\n")
		for _, blk := range modal.Blocks.BlockSet {
			if b, ok := blk.(*slack.InputBlock); ok {
				if msg, bad := res.Errors[b.BlockID]; bad {
					c.printf("  • %s：%s\n", b.Label.Text, msg)
					only[b.BlockID] = true
				}
			}
		}
		if len(only) == 0 { // problems on blocks the form does not have: nothing to re-ask
			for _, msg := range res.Errors {
				c.printf("  • %s\n", msg)
			}
			return
		}
	}
}

func actionIDOf(e slack.BlockElement) string {
	switch e := e.(type) {
	case *slack.PlainTextInputBlockElement:
		return e.ActionID
	case *slack.SelectBlockElement:
		return e.ActionID
	case *slack.MultiSelectBlockElement:
		return e.ActionID
	case *slack.DatePickerBlockElement:
		return e.ActionID
	case *slack.CheckboxGroupsBlockElement:
		return e.ActionID
	case *slack.FileInputBlockElement:
		return e.ActionID
	}
	return ""
}

// read reads one line; false at end of input or /cancel.
func (c *Console) read() (string, bool) {
	if !c.in.Scan() {
		return "", false
	}
	s := strings.TrimSpace(c.in.Text())
	return s, s != "/cancel"
}

// askInput prompts for one input block.
func (c *Console) askInput(b *slack.InputBlock) (slack.BlockAction, bool) {
	label := b.Label.Text
	if b.Optional {
		label += "（可空 / optional）"
	}
	switch e := b.Element.(type) {
	case *slack.PlainTextInputBlockElement:
		if e.Multiline {
			c.printf("%s（可多行，单独一行 . 结束 / several lines, end with a line holding only .）:\n", label)
			var lines []string
			for {
				s, ok := c.readRaw()
				if !ok {
					return slack.BlockAction{}, false
				}
				if strings.TrimSpace(s) == "." {
					break
				}
				lines = append(lines, s)
			}
			return slack.BlockAction{Type: "plain_text_input", Value: strings.TrimSpace(strings.Join(lines, "\n"))}, true
		}
		c.printf("%s: ", label)
		s, ok := c.read()
		return slack.BlockAction{Type: "plain_text_input", Value: s}, ok
	case *slack.SelectBlockElement:
		val, ok := c.askSelect(label, e.Options, e.InitialOption, false)
		var o slack.OptionBlockObject
		for _, opt := range e.Options {
			if opt.Value == val {
				o = *opt
			}
		}
		return slack.BlockAction{Type: "static_select", SelectedOption: o}, ok
	case *slack.MultiSelectBlockElement:
		c.printf("%s（序号，空格分隔 / numbers separated by spaces）:\n", label)
		for i, o := range e.Options {
			c.printf("  %d. %s\n", i+1, o.Text.Text)
		}
		s, ok := c.read()
		var opts []slack.OptionBlockObject
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '，' }) {
			if n, err := strconv.Atoi(f); err == nil && n >= 1 && n <= len(e.Options) {
				opts = append(opts, *e.Options[n-1])
			}
		}
		return slack.BlockAction{Type: "multi_static_select", SelectedOptions: opts}, ok
	case *slack.DatePickerBlockElement:
		def := e.InitialDate
		c.printf("%s（YYYY-MM-DD）[%s]: ", label, def)
		s, ok := c.read()
		if s == "" {
			s = def
		}
		return slack.BlockAction{Type: "datepicker", SelectedDate: s}, ok
	case *slack.FileInputBlockElement:
		return c.askFiles(label)
	case *slack.CheckboxGroupsBlockElement:
		var opts []slack.OptionBlockObject
		for _, o := range e.Options {
			c.printf("%s — %s？(是/否 y/n): ", label, o.Text.Text)
			s, ok := c.read()
			if !ok {
				return slack.BlockAction{}, false
			}
			if s = strings.ToLower(s); s == "y" || s == "yes" || s == "是" {
				opts = append(opts, *o)
			}
		}
		return slack.BlockAction{Type: "checkboxes", SelectedOptions: opts}, true
	}
	return slack.BlockAction{}, true
}

// askSelect prompts for one of opts by number (or value); empty keeps the initial option.
func (c *Console) askSelect(label string, opts []*slack.OptionBlockObject, initial *slack.OptionBlockObject, quiet bool) (string, bool) {
	def := ""
	if initial != nil {
		def = initial.Value
	}
	for {
		var parts []string
		for i, o := range opts {
			parts = append(parts, fmt.Sprintf("%d %s", i+1, o.Text.Text))
		}
		cur := ""
		if initial != nil {
			cur = "[" + initial.Text.Text + "]"
		}
		c.printf("%s（%s）%s: ", label, strings.Join(parts, " / "), cur)
		s, ok := c.read()
		if !ok {
			return "", false
		}
		if s == "" {
			return def, true
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(opts) {
			return opts[n-1].Value, true
		}
		for _, o := range opts {
			if s == o.Value || s == o.Text.Text {
				return o.Value, true
			}
		}
		c.printf("请输入序号。/ Enter a number.\n")
	}
}

func (c *Console) readRaw() (string, bool) {
	if !c.in.Scan() {
		return "", false
	}
	s := c.in.Text()
	return s, strings.TrimSpace(s) != "/cancel"
}
