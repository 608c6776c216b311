package main

import (
	"os"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/briefbot/briefbot/config"
)

// TestManifest checks the Slack app manifest a workspace admin pastes matches what the
// bot serves: the slash command of the example config, the events it handles, the
// scopes those need, interactivity and Socket Mode.
func TestManifest(t *testing.T) {
	raw, err := os.ReadFile("../../manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Features struct {
			AppHome struct {
				HomeTab bool `yaml:"home_tab_enabled"`
			} `yaml:"app_home"`
			Slash []struct {
				Command string `yaml:"command"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				Bot []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			Interactivity struct {
				Enabled bool `yaml:"is_enabled"`
			} `yaml:"interactivity"`
			SocketMode bool `yaml:"socket_mode_enabled"`
		} `yaml:"settings"`
	}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Features.Slash) != 1 || m.Features.Slash[0].Command != config.Example().Command {
		t.Errorf("slash commands = %+v; want %s", m.Features.Slash, config.Example().Command)
	}
	for _, ev := range []string{"message.im", "app_home_opened", "app_mention"} {
		if !slices.Contains(m.Settings.Events.Bot, ev) {
			t.Errorf("event %s not subscribed", ev)
		}
	}
	for _, s := range []string{"commands", "chat:write", "im:write", "im:history", "app_mentions:read", "files:read"} {
		if !slices.Contains(m.OAuth.Scopes.Bot, s) {
			t.Errorf("scope %s missing", s)
		}
	}
	if !m.Settings.Interactivity.Enabled || !m.Settings.SocketMode || !m.Features.AppHome.HomeTab {
		t.Errorf("interactivity, socket mode and the home tab must be on: %+v", m.Settings)
	}
}
