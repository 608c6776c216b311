package slacktest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/briefbot/briefbot/internal/slacktest"
)

func TestUpload(t *testing.T) {
	srv := slacktest.New(t)
	doc := []byte("%PDF-1.7 关于经费的请示")
	obj := srv.Upload(slacktest.UploadedFile{Name: "关于经费的请示.pdf", Content: doc})
	var f slack.File
	raw, _ := json.Marshal(obj)
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if f.Name != "关于经费的请示.pdf" || f.Size != len(doc) || f.Filetype != "pdf" || f.URLPrivate == "" {
		t.Fatalf("file object = %+v", f)
	}
	t.Run("BotTokenGetsIt", func(t *testing.T) {
		var buf bytes.Buffer
		if err := newClient(srv).GetFileContext(context.Background(), f.URLPrivate, &buf); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), doc) {
			t.Errorf("downloaded %q; want %q", buf.Bytes(), doc)
		}
		if c := srv.Calls(slacktest.MethodFileDownload); len(c) != 1 || c[0].Token != slacktest.BotToken {
			t.Errorf("calls = %+v", c)
		}
	})
	t.Run("ErrOtherTokenSignIn", func(t *testing.T) {
		api := slack.New("xoxb-other", slack.OptionAPIURL(srv.APIURL()))
		var buf bytes.Buffer
		if err := api.GetFileContext(context.Background(), f.URLPrivate, &buf); err == nil {
			t.Errorf("download with another token = %q; want an error", buf.Bytes())
		}
	})
	t.Run("ErrFault", func(t *testing.T) {
		srv.Fail(slacktest.MethodFileDownload, slacktest.Fault{Status: http.StatusInternalServerError})
		var buf bytes.Buffer
		if err := newClient(srv).GetFileContext(context.Background(), f.URLPrivate, &buf); err == nil {
			t.Errorf("download with a 500 fault = nil error")
		}
	})
	t.Run("FileShareEvent", func(t *testing.T) {
		ev := slacktest.FileShareEvent("U1", "D1", "", obj)
		raw, _ := json.Marshal(ev)
		var me slackevents.MessageEvent
		if err := json.Unmarshal(raw, &me); err != nil {
			t.Fatal(err)
		}
		if me.SubType != "file_share" || me.Message == nil || len(me.Message.Files) != 1 || me.Message.Files[0].ID != f.ID {
			t.Errorf("event = %+v", me)
		}
	})
}
