"use strict";

// The page keeps the session state and sends it with every line; the server keeps none.
const page = {
  state: null,
  exchanges: 0,
  busy: false,
  starters: [],
};

const $ = (id) => document.getElementById(id);
const PAUSE = /\[pause ([\d.]+) s\]/g;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

// Speech text with "[pause 10 s]" markers shown as labelled pause badges.
function speechNodes(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(PAUSE)) {
    nodes.push(text.slice(last, match.index));
    nodes.push(el("span", { class: "pause", text: `pause ${match[1]} s` }));
    last = match.index + match[0].length;
  }
  nodes.push(text.slice(last));
  return nodes;
}

function addLine(kind, who, ...content) {
  const list = $("conversation");
  const item = el("li", { class: `line ${kind}`, "data-testid": `${kind}-line` });
  if (who) item.append(el("span", { class: "who", text: who }));
  item.append(...content);
  list.append(item);
  list.scrollTop = list.scrollHeight;
  return item;
}

function showAlexa(turn) {
  if (!turn.speech) {
    addLine("system", null, turn.note || "Alexa said nothing.");
    return;
  }
  const speech = el("p", { class: "speech" }, ...speechNodes(turn.speech));
  const parts = [speech];
  if (turn.reprompt) {
    parts.push(el("p", { class: "reprompt" }, "If you say nothing: ", ...speechNodes(turn.reprompt)));
  }
  const heard = turn.intent ? `Heard as ${turn.intent}` : "Not sent to the skill";
  const slots = Object.keys(turn.slots || {}).length ? ` ${JSON.stringify(turn.slots)}` : "";
  const meta = el("p", { class: "meta" });
  const tier = tierLabel(turn);
  if (tier) meta.append(el("span", { class: `tier tier-${turn.tier}`, "data-testid": "tier", text: tier }), " ");
  meta.append(`${heard}${slots}. ${turn.note || ""}`);
  parts.push(meta);
  addLine("alexa", "Alexa", ...parts);
  speak(turn.speech);
}

// Which tier of the simulator's NLU chose the intent, and how sure the statistical one was.
function tierLabel(turn) {
  if (!turn.tier || !turn.intent || turn.intent.endsWith("Request")) return "";
  if (turn.tier !== "statistical") return "exact match";
  const [best, score] = (turn.top && turn.top[0]) || [turn.intent, turn.confidence];
  if (turn.intent === "AMAZON.FallbackIntent" && best !== turn.intent) {
    return `statistical: ${best} only ${Math.round(score * 100)}%, so fallback`;
  }
  return `statistical ${Math.round(turn.confidence * 100)}%`;
}

function showMic(open) {
  const mic = $("mic");
  mic.className = `mic ${open ? "mic-open" : "mic-closed"}`;
  mic.dataset.open = String(open);
  $("mic-text").textContent = open ? "Microphone open: listening" : "Microphone closed";
}

function showCard(card) {
  const box = $("card");
  box.replaceChildren();
  if (!card) {
    box.append(el("p", { class: "empty", text: "No card on the last answer." }));
    return;
  }
  if (card.type === "AskForPermissionsConsent") {
    box.append(el("h3", { class: "card-title", "data-testid": "card-title", text: "Permission request" }));
    box.append(el("p", { class: "card-text", "data-testid": "card-text", text: `Allow: ${(card.permissions || []).join(", ")}` }));
    return;
  }
  box.append(el("h3", { class: "card-title", "data-testid": "card-title", text: card.title || "(no title)" }));
  box.append(el("p", { class: "card-text", "data-testid": "card-text", text: card.text || card.content || "" }));
  const image = card.image && (card.image.largeImageUrl || card.image.smallImageUrl);
  if (image) {
    box.append(el("img", { class: "card-image", "data-testid": "card-image", src: image, alt: card.title || "Chart" }));
  }
}

function showReminders(reminders) {
  const box = $("reminders");
  box.replaceChildren();
  if (!reminders || !reminders.length) {
    box.append(el("p", { class: "empty", text: "No reminders set." }));
    return;
  }
  for (const reminder of reminders) {
    box.append(
      el(
        "div",
        { class: "reminder", "data-testid": "reminder" },
        el("p", { class: "reminder-rule", text: `${reminder.rule} (${reminder.time_zone})` }),
        el("p", { class: "reminder-text", text: `\u201c${reminder.text}\u201d` }),
      ),
    );
  }
}

function showCalls(turn) {
  for (const call of turn.api_calls || []) {
    addLine("system api", null, `Alexa API: ${call.method} ${call.path} \u2192 ${call.status}`);
  }
}

const STAGES = {
  set: "Doing this set. Say \u201cdone\u201d when finished.",
  ready: "Resting. Say \u201cyes\u201d when ready for this set.",
  resume: "Paused. Say \u201cyes\u201d to carry on.",
};

function showProgress(progress) {
  const box = $("progress");
  box.hidden = !progress;
  if (!progress) return;
  $("progress-program").textContent = progress.program;
  $("progress-exercise").textContent =
    `Exercise ${progress.exercise_number} of ${progress.exercises}: ${progress.exercise}`;
  $("progress-set").textContent = `Set ${progress.set} of ${progress.sets}`;
  $("progress-stage").textContent = STAGES[progress.stage] || "";
}

function showRaw(turn) {
  const box = $("raw");
  box.querySelector(".empty")?.remove();
  const tier = tierLabel(turn);
  const label = `Turn ${page.exchanges}: \u201c${turn.utterance || "(silence)"}\u201d \u2192 ${turn.intent || "nothing sent"}${tier ? `, ${tier}` : ""} (${turn.status})`;
  box.append(
    el(
      "details",
      { "data-testid": "raw-turn" },
      el("summary", { text: label }),
      el("h3", { text: "Request" }),
      el("pre", { class: "json", text: JSON.stringify(turn.request, null, 2) }),
      el("h3", { text: "Response" }),
      el("pre", { class: "json", text: JSON.stringify(turn.response, null, 2) }),
    ),
  );
}

function speak(text) {
  if (!$("speak").checked || !("speechSynthesis" in window)) return;
  const words = text.replace(PAUSE, " ... ").trim();
  if (!words) return;
  const utterance = new SpeechSynthesisUtterance(words);
  utterance.lang = $("locale").value;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(utterance);
}

function setBusy(busy) {
  page.busy = busy;
  $("send").disabled = busy;
  document.body.dataset.busy = String(busy);
}

async function say(utterance) {
  if (page.busy) return;
  setBusy(true);
  const words = utterance.trim() ? { text: utterance } : { class: "empty", text: "(silence)" };
  addLine("you", "You", el("p", words));
  try {
    const reply = await fetch("/simulator/api/say", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        utterance,
        state: page.state,
        locale: $("locale").value,
        person: $("person").value || null,
        strict: $("strict").checked,
        timezone: $("timezone").value,
        consent: $("consent").value,
        reminders_allowed: $("allowed").checked,
      }),
    });
    const body = await reply.json();
    if (!reply.ok) throw new Error(body.error || `HTTP ${reply.status}`);
    page.state = body.state;
    page.exchanges += 1;
    if (body.turn) {
      let turn = body.turn;
      let card = null;
      while (turn) {
        if (turn !== body.turn) addLine("system", null, `Alexa asks for permission to set reminders. You: ${turn.utterance.replace(/^\(asked for permission\) /, "")}`);
        showAlexa(turn);
        showCalls(turn);
        showRaw(turn);
        card = turn.card || card;
        turn = turn.then;
      }
      showCard(card);
    } else {
      addLine("system", null, "Silence, and no session was open: nothing happened.");
    }
    showMic(Boolean(body.state.open));
    showProgress(body.progress);
    showReminders(body.reminders);
    if (body.suggestions) showSuggestions(body.suggestions.map((text) => ({ text })));
    $("attributes").textContent = JSON.stringify(body.state.attributes || {}, null, 2);
  } catch (error) {
    addLine("system error", null, `Could not reach the skill: ${error.message}`).setAttribute("role", "alert");
  } finally {
    $("conversation").dataset.exchanges = String(page.exchanges);
    setBusy(false);
  }
}

function chip(phrase) {
  const button = el("button", { type: "button", class: "chip", "data-testid": "suggestion", text: phrase.text });
  if (phrase.intent) button.title = phrase.intent;
  button.addEventListener("click", () => say(phrase.text));
  return button;
}

// "Try saying" offers what fits now: the server sends new phrases with every turn.
function showSuggestions(phrases) {
  $("suggestions").replaceChildren(...phrases.map(chip));
}

async function loadSuggestions() {
  const reply = await fetch("/simulator/api/suggestions");
  const { phrases } = await reply.json();
  page.starters = phrases.filter((p) => p.starter);
  showSuggestions(page.starters);
  $("more-suggestions").replaceChildren(...phrases.filter((p) => !p.starter).map(chip));
  $("all-phrases").replaceChildren(...phrases.map((p) => el("option", { value: p.text })));
}

// Another speaker on the same device: the open session (and its place) was someone else's.
function switchPerson() {
  if (page.state) page.state = { ...page.state, open: false, attributes: {} };
  showMic(false);
  showProgress(null);
}

function reset() {
  page.state = null;
  showMic(false);
  showProgress(null);
  showCard(null);
  showSuggestions(page.starters);
  $("attributes").textContent = "{}";
  addLine("system", null, "New user: the next line starts afresh, with no saved progress.");
}

document.addEventListener("DOMContentLoaded", () => {
  $("say-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const box = $("utterance");
    const text = box.value;
    box.value = "";
    say(text);
  });
  $("reset").addEventListener("click", reset);
  $("person").addEventListener("change", switchPerson);
  if (!("speechSynthesis" in window)) {
    $("speak").disabled = true;
    $("speak").parentElement.title = "This browser cannot speak";
  }
  loadSuggestions().catch((error) => addLine("system error", null, `No suggestions: ${error.message}`));
});
