package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
	"github.com/slack-go/slack"
)

// Action IDs of the buttons and selects the bot builds.
const (
	actionStatus     = "status"      // value: ledger number
	actionListPage   = "list_page"   // value: the command text of the next page
	actionOpenIntake = "open_intake" // value: kind
	actionIntakeKind = "intake_kind" // the kind switch in the intake modal
)

// dedupTTL is how long an incoming delivery is remembered.
const dedupTTL = 24 * time.Hour

// listPageSize is how many matters a list page shows.
const listPageSize = 10

// CommandInput is a command typed by a user: after the slash command, in a DM, or in
// the console.
type CommandInput struct {
	User User
	Text string
	// CanOpenModal says the transport holds a trigger to open a modal (a slash command
	// or a button); without it `new` starts the step-by-step DM conversation.
	CanOpenModal bool
	// DeliveryKey identifies the delivery (a Slack event_id); a repeat is ignored.
	DeliveryKey string
}

// Response is the bot's answer to an interaction: a message for the user, a modal to
// open, or (for a modal's own buttons) a replacement for the open modal.
type Response struct {
	Message    *Message
	Modal      *slack.ModalViewRequest
	UpdateView *slack.ModalViewRequest
	// Ignore is set when the delivery was a repeat: answer nothing.
	Ignore bool
}

func reply(m Message) Response { return Response{Message: &m} }

// Command answers one command.
func (b *Bot) Command(ctx context.Context, in CommandInput) Response {
	v, refusal, ok := b.enter(ctx, in.User, in.DeliveryKey)
	if !ok {
		return refusal
	}
	me := v.me
	words := strings.Fields(in.Text)
	if len(words) == 0 {
		return reply(v.help())
	}
	verb, args := canonicalVerb(words[0]), words[1:]
	switch verb {
	case "help":
		return reply(v.help())
	case "new":
		kind := briefbot.KindRequest
		if len(args) > 0 {
			k, ok := parseKind(args[0])
			if !ok {
				return reply(textMessage(v.tr(msgBadKind)))
			}
			kind = k
		}
		if len(v.dir.Org.HeadOf(me.ID)) == 0 {
			// A department's member may draft for its heads, where that is enabled, in the form.
			if !v.dir.Intake.MemberDrafts || len(v.dir.Org.DepartmentsOf(me.ID)) == 0 || !in.CanOpenModal {
				return reply(textMessage(v.tr(msgNotHead)))
			}
		}
		if !in.CanOpenModal {
			return reply(b.startDM(v, kind))
		}
		modal := v.intakeModal(kind)
		return Response{Modal: &modal}
	case "status":
		if len(args) == 0 {
			return reply(textMessage(v.tr(msgNoNumberGiven)))
		}
		return reply(b.status(ctx, v, strings.Join(args, "")))
	case "list":
		return reply(b.list(v, args))
	case "brief":
		return reply(b.brief(ctx, v, args))
	case "reload":
		return reply(b.reloadCommand(ctx, v))
	case "stats":
		return reply(b.stats(ctx, v, args))
	case "find":
		if len(args) == 0 {
			return reply(textMessage(v.tr(msgNoWords)))
		}
		return reply(b.find(v, args))
	}
	return reply(textMessage(v.tr(msgUnknownCmd, Escape(cut(in.Text, 100, "…")))))
}

// enter starts an interaction: who is asking (a user not in the config gets the polite
// refusal) and whether this delivery is new (a repeat gets Ignore). ok is false when
// the returned Response is the whole answer.
func (b *Bot) enter(ctx context.Context, u User, deliveryKey string) (*view, Response, bool) {
	me, dir, ok := b.who(u)
	if !ok {
		return nil, reply(textMessage(tr(dir.Lang, msgUnknownUser))), false
	}
	if !b.firstDelivery(ctx, deliveryKey) {
		return nil, Response{Ignore: true}, false
	}
	return b.frame(me, dir), Response{}, true
}

// firstDelivery claims key and reports whether this is its first delivery. Without a
// key (the console) every input is new. If the claim cannot be recorded the input is
// handled anyway: answering twice is better than not at all.
func (b *Bot) firstDelivery(ctx context.Context, key string) bool {
	if key == "" {
		return true
	}
	first, err := b.store.Claim(ctx, "in:"+key, dedupTTL)
	if err != nil {
		b.log.Error("claim delivery", "key", key, "err", err)
		return true
	}
	return first
}

// canonicalVerb maps the words people type (English or Chinese) to a command.
func canonicalVerb(w string) string {
	switch strings.ToLower(strings.TrimLeft(w, "/")) {
	case "new", "submit", "新建", "报送", "上报":
		return "new"
	case "status", "show", "查询", "状态", "查看":
		return "status"
	case "list", "ls", "列表", "清单":
		return "list"
	case "find", "search", "查找", "搜索":
		return "find"
	case "help", "?", "？", "帮助":
		return "help"
	case "brief", "briefing", "简报":
		return "brief"
	case "reload", "重新加载":
		return "reload"
	case "stats", "统计", "月报", "年报":
		return "stats"
	}
	return strings.ToLower(w)
}

func parseKind(w string) (briefbot.Kind, bool) {
	switch strings.ToLower(w) {
	case "request", "请示", "qs":
		return briefbot.KindRequest, true
	case "report", "报告", "bg":
		return briefbot.KindReport, true
	case "filing", "报备", "bb":
		return briefbot.KindFiling, true
	}
	return "", false
}

func (v *view) help() Message {
	return textMessage(fmt.Sprintf(v.tr(msgHelp), v.dir.Command))
}

// status answers `status NUMBER`: the card, if the asker may know of the matter. A
// matter they may not see is "not found", so its existence does not leak.
func (b *Bot) status(ctx context.Context, v *view, typed string) Message {
	m, err := b.lookupFor(ctx, v, typed)
	if err != nil {
		return b.errorMessage(err, v.lang, "status")
	}
	return v.card(m)
}

// list answers `list [mine|dept|awaiting|overdue|all] [page N]`.
func (b *Bot) list(v *view, args []string) Message {
	scope, page := "", 1
	for i := 0; i < len(args); i++ {
		switch a := strings.ToLower(args[i]); a {
		case "page", "p", "第", "页":
			if i+1 >= len(args) {
				return textMessage(v.tr(msgBadPage))
			}
			n, err := strconv.Atoi(args[i+1])
			if err != nil || n < 1 {
				return textMessage(v.tr(msgBadPage))
			}
			page, i = n, i+1
		case "mine", "我的", "dept", "本部门", "awaiting", "待批示", "overdue", "逾期", "all", "全部":
			scope = map[string]string{"我的": "mine", "本部门": "dept", "待批示": "awaiting", "逾期": "overdue", "全部": "all"}[a]
			if scope == "" {
				scope = a
			}
		default:
			return textMessage(v.tr(msgBadScope))
		}
	}
	if scope == "" {
		scope = v.defaultScope()
	}
	f := store.Filter{Limit: listPageSize, Offset: (page - 1) * listPageSize, Match: v.visible}
	var p store.Page
	var err error
	var title text
	switch scope {
	case "mine":
		title = msgScopeMine
		f.Submitter = v.me.ID
		p, err = b.store.List(f)
	case "dept":
		title = msgScopeDept
		f.Match = v.inMyDepartments
		p, err = b.store.List(f)
	case "awaiting":
		title = msgScopeAwait
		p, err = b.store.Awaiting(f)
	case "overdue":
		title = msgScopeLate
		p, err = b.store.Overdue(v.now, f)
	default:
		title = msgScopeAll
		p, err = b.store.List(f)
	}
	if err != nil {
		return b.errorMessage(err, v.lang, "list")
	}
	next := fmt.Sprintf("list %s page %d", scope, page+1)
	return v.page(v.tr(msgListTitle, v.tr(title), page), p, next)
}

// find answers `find WORDS`.
func (b *Bot) find(v *view, args []string) Message {
	q := strings.Join(args, " ")
	page := 1
	if n := len(args); n >= 3 && strings.EqualFold(args[n-2], "page") {
		if p, err := strconv.Atoi(args[n-1]); err == nil && p > 0 {
			page, q = p, strings.Join(args[:n-2], " ")
		}
	}
	p, err := b.store.Search(q, store.Filter{Limit: listPageSize, Offset: (page - 1) * listPageSize, Match: v.visible})
	if err != nil {
		return b.errorMessage(err, v.lang, "find")
	}
	return v.page(v.tr(msgListTitle, v.tr(msgScopeFind, q), page), p, fmt.Sprintf("find %s page %d", q, page+1))
}

// page renders a page of matters with a next-page button when more follow.
func (v *view) page(title string, p store.Page, next string) Message {
	blocks := []slack.Block{header(title)}
	if len(p.Matters) == 0 {
		blocks = append(blocks, section(v.tr(msgNothingFound)))
	}
	var lines []string
	for _, m := range p.Matters {
		blocks = append(blocks, v.listItem(m))
		lines = append(lines, m.Number.String()+" "+Escape(cut(oneLine(m.Title), 200, "…")))
	}
	if p.More {
		blocks = append(blocks,
			contextBlock(v.tr(msgListMore, Escape(v.dir.Command+" "+next))),
			slack.NewActionBlock("", button(v.tr(msgButtonNext), actionListPage, cut(next, maxButtonValue, ""))))
	}
	return Message{Text: Escape(title) + "\n" + strings.Join(lines, "\n"), Blocks: blocks}
}

// defaultScope is what a plain `list` shows: committee people see what awaits; heads
// their department's matters; anyone else their own.
func (v *view) defaultScope() string {
	switch {
	case len(v.dir.Org.CommitteesOf(v.me.ID)) > 0:
		return "awaiting"
	case len(v.dir.Org.DepartmentsOf(v.me.ID)) > 0:
		return "dept"
	}
	return "mine"
}

func (v *view) visible(m *briefbot.Matter) bool {
	return v.dir.Org.Allowed(v.me.ID, briefbot.PermView, m)
}

func (v *view) inMyDepartments(m *briefbot.Matter) bool {
	if !v.visible(m) {
		return false
	}
	for _, d := range v.dir.Org.DepartmentsOf(v.me.ID) {
		if m.Department == d.ID {
			return true
		}
	}
	return false
}

// ActionInput is a click on one of the bot's buttons or selects.
type ActionInput struct {
	User         User
	ActionID     string
	Value        string
	CanOpenModal bool
	// ViewID and PrivateMetadata are set when the action came from an open modal.
	ViewID          string
	PrivateMetadata string
	DeliveryKey     string
}

// Action answers a click.
func (b *Bot) Action(ctx context.Context, in ActionInput) Response {
	v, refusal, ok := b.enter(ctx, in.User, in.DeliveryKey)
	if !ok {
		return refusal
	}
	switch in.ActionID {
	case actionStatus:
		return reply(b.status(ctx, v, in.Value))
	case actionListPage:
		return b.Command(ctx, CommandInput{User: in.User, Text: in.Value, CanOpenModal: in.CanOpenModal})
	case actionOpenIntake:
		return b.Command(ctx, CommandInput{User: in.User, Text: "new " + in.Value, CanOpenModal: in.CanOpenModal})
	case actionRead:
		return b.read(ctx, v, in.Value, in.CanOpenModal)
	case actionInstruct:
		if !in.CanOpenModal {
			return reply(textMessage(v.tr(msgNotYourLeader, in.Value)))
		}
		return b.instruct(ctx, v, in.Value)
	case actionProgress, actionExtension, actionComplete, actionGrant, actionDecline, actionCloseOut, actionSendBack:
		return b.followThrough(ctx, v, in.ActionID, in.Value, in.CanOpenModal)
	case actionSubmitDraft:
		return reply(b.submitDraft(ctx, v, in.Value))
	case actionApproveBriefing:
		return reply(b.approveOne(ctx, v, in.Value))
	case actionIntakeKind:
		kind, ok := parseKind(in.Value)
		if !ok {
			kind = briefbot.KindRequest
		}
		modal := v.intakeModal(kind)
		return Response{UpdateView: &modal}
	}
	return Response{}
}
