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

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/slack-go/slack"
)

// Console is one terminal session. It is also the bot's Poster: messages the bot sends
// to anyone are printed, addressed.
type Console struct {
	Bot *bot.Bot

	in  *bufio.Scanner
	out io.Writer
	mu  sync.Mutex // serialises writes to out
	me  briefbot.MemberID

	clicks []clickable
	seq    int // console "ts" of posted messages
}

// New returns a console reading in and writing out, acting as member as.
func New(in io.Reader, out io.Writer, as briefbot.MemberID) *Console {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	return &Console{in: sc, out: out, me: as}
}

// PostDM implements bot.Poster by printing the message addressed to the member.
func (c *Console) PostDM(ctx context.Context, m *briefbot.Member, msg bot.Message) (string, error) {
	var b strings.Builder
	if m.ID == c.me {
		b.WriteString("（私信 / DM）\n")
	} else {
		fmt.Fprintf(&b, "（私信给 %s / DM to %s）\n", m.Name, m.ID)
	}
	c.show(&b, msg)
	return "console:" + string(m.ID), nil
}

func (c *Console) printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.out, format, args...)
}

// show renders msg, numbering its buttons after those already shown.
func (c *Console) show(b *strings.Builder, msg bot.Message) {
	c.mu.Lock() // the outbox prints from its own goroutine
	defer c.mu.Unlock()
	if len(msg.Blocks) == 0 {
		b.WriteString(plainText(msg.Text) + "\n")
	} else {
		c.clicks = append(c.clicks, render(b, msg.Blocks, len(c.clicks)+1)...)
	}
	fmt.Fprintf(c.out, "%s\n", b.String())
}

const consoleHelp = `本地控制台 / local console
  直接输入 = 私信机器人（如 help、new、status QS-2026-0001、list）   plain text = a DM to the bot
  %[1]s <命令> = 斜杠命令（new 会打开表单）                          %[1]s <words> = the slash command (new opens the form)
  /as <成员>   切换身份 / act as another member
  /whoami     当前身份 / who am I
  /home       App Home
  /click N    点击第 N 个按钮 / click button N
  /members    列出成员 / list members
  /quit       退出 / quit
`

// Run reads lines until EOF, /quit or ctx is done.
func (c *Console) Run(ctx context.Context) error {
	dir := c.Bot.Directory()
	c.printf("briefbot 本地控制台（%s）。输入 /help 查看用法。/ Local console; /help for help.\n", dir.Org.Name)
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
		if !c.handle(ctx, line) {
			return nil
		}
	}
	return ctx.Err()
}

// handle runs one line; it returns false to stop.
func (c *Console) handle(ctx context.Context, line string) bool {
	dir := c.Bot.Directory()
	cmd, rest, _ := strings.Cut(line, " ")
	rest = strings.TrimSpace(rest)
	user := bot.User{Member: c.me}
	switch {
	case cmd == "/quit" || cmd == "/exit":
		return false
	case cmd == "/help":
		c.printf(consoleHelp, dir.Command)
	case cmd == "/as":
		c.switchTo(rest)
	case cmd == "/whoami":
		c.whoami()
	case cmd == "/members":
		for _, m := range dir.Org.Members {
			c.printf("  %-12s %s\n", m.ID, m.Name)
		}
	case cmd == "/home":
		var b strings.Builder
		c.show(&b, bot.Message{Blocks: c.Bot.Home(user).Blocks.BlockSet})
	case cmd == "/click":
		n, err := strconv.Atoi(rest)
		c.mu.Lock()
		ok := err == nil && n >= 1 && n <= len(c.clicks)
		var k clickable
		if ok {
			k = c.clicks[n-1]
		}
		c.mu.Unlock()
		if !ok {
			c.printf("没有按钮 %q。/ No button %q.\n", rest, rest)
			return true
		}
		c.respond(ctx, c.Bot.Action(ctx, bot.ActionInput{User: user, ActionID: k.actionID, Value: k.value, CanOpenModal: true}))
	case cmd == dir.Command:
		c.respond(ctx, c.Bot.Command(ctx, bot.CommandInput{User: user, Text: rest, CanOpenModal: true}))
	case strings.HasPrefix(cmd, "/"):
		c.printf("未知的控制台命令 %s，输入 /help 查看。/ Unknown console command; /help.\n", cmd)
	default:
		c.respond(ctx, c.Bot.DM(ctx, bot.CommandInput{User: user, Text: line}))
	}
	return true
}

func (c *Console) whoami() {
	dir := c.Bot.Directory()
	if m, ok := dir.Org.Member(c.me); ok {
		c.printf("当前身份 / acting as: %s（%s）\n", m.Name, m.ID)
	} else {
		c.printf("当前身份 %q 不在组织配置中。/ %q is not in the org config.\n", c.me, c.me)
	}
}

func (c *Console) switchTo(who string) {
	org := &c.Bot.Directory().Org
	for _, m := range org.Members {
		if string(m.ID) == who || m.Name == who {
			c.me = m.ID
			c.whoami()
			return
		}
	}
	c.printf("没有成员 %q；/members 列出全部。/ No member %q; /members lists them.\n", who, who)
}

// respond shows a response: a message, or a modal as a prompted form.
func (c *Console) respond(ctx context.Context, r bot.Response) {
	switch {
	case r.Ignore:
	case r.Modal != nil:
		c.form(ctx, *r.Modal)
	case r.Message != nil:
		var b strings.Builder
		c.show(&b, *r.Message)
	}
}

// form asks for a modal's inputs one by one, submits them, and asks again for the
// fields the bot refused, until it is accepted or cancelled (/cancel, or end of input).
func (c *Console) form(ctx context.Context, modal slack.ModalViewRequest) {
	user := bot.User{Member: c.me}
	values := map[string]map[string]slack.BlockAction{}
	only := map[string]bool{} // after a refusal: the blocks to ask again
	c.printf("== %s ==（/cancel 取消）\n", modal.Title.Text)
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
						r := c.Bot.Action(ctx, bot.ActionInput{User: user, ActionID: sel.ActionID, Value: val, PrivateMetadata: modal.PrivateMetadata})
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
		res := c.Bot.Submit(ctx, bot.Submission{User: user, CallbackID: modal.CallbackID, PrivateMetadata: modal.PrivateMetadata, Values: values})
		if len(res.Errors) == 0 {
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

// Send implements bot.Sender: what the bot posts to a channel or a member's DM on its
// own (briefings, alerts) is printed, addressed.
func (c *Console) Send(ctx context.Context, channel, threadTS, text string, blocks json.RawMessage) (string, error) {
	dir := c.Bot.Directory()
	to := channel
	if id, ok := strings.CutPrefix(channel, bot.MemberPrefix); ok {
		if m, ok := dir.Org.Member(briefbot.MemberID(id)); ok {
			to = "私信 " + m.Name
		}
	} else if id, ok := strings.CutPrefix(channel, "@"); ok {
		if m, ok := dir.Org.MemberBySlackID(id); ok {
			to = "私信 " + m.Name
		}
	} else {
		for _, cm := range dir.Org.Committees {
			if cm.Channel == channel {
				to = cm.Name + " 频道"
			}
		}
	}
	if threadTS != "" {
		to += "（跟帖 / in thread）"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "（→ %s）\n", to)
	var msg bot.Message
	msg.Text = text
	if len(blocks) > 0 {
		var bs slack.Blocks
		if err := json.Unmarshal(blocks, &bs); err == nil {
			msg.Blocks = bs.BlockSet
		}
	}
	c.mu.Lock()
	c.seq++
	ts := fmt.Sprintf("console.%06d", c.seq)
	c.mu.Unlock()
	c.show(&b, msg)
	return ts, nil
}
