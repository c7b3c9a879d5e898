'use strict';
// The ser page: live microphone over WS /v1/stream, or a dropped file over POST /v1/segments,
// with the current probabilities and an emotion timeline. No build step, no dependencies.
(() => {
  const EMOTIONS = ['fear', 'happy', 'sad', 'anger', 'disgust', 'neutral', 'surprise', 'others'];
  const COLORS = {fear: '#7e57c2', happy: '#fdd835', sad: '#1e88e5', anger: '#e53935', disgust: '#43a047',
    neutral: '#9e9e9e', surprise: '#fb8c00', others: '#6d4c41'};
  const $ = id => document.getElementById(id);
  let timeline = []; // {start_s, end_s, emotion}
  let live = null;   // {ws, ctx, stream, node}

  const status = (text, error) => { $('status').textContent = text; $('status').className = error ? 'error' : ''; };
  const token = () => $('token').value.trim();
  const authHeaders = () => token() ? {Authorization: 'Bearer ' + token()} : {};

  function buildBars() {
    $('probs').innerHTML = EMOTIONS.map(e =>
      `<div class="bar" data-emotion="${e}"><span>${e}</span><div class="track"><div class="fill" style="width:0;background:${COLORS[e]}"></div></div><span class="value">0.00</span></div>`).join('');
    $('legend').innerHTML = EMOTIONS.map(e => `<span><i style="background:${COLORS[e]}"></i>${e}</span>`).join('');
  }

  function show(p, label) {
    $('emotion').textContent = p.emotion;
    $('emotion').style.color = COLORS[p.emotion];
    $('when').textContent = label || '';
    for (const e of EMOTIONS) {
      const row = document.querySelector(`.bar[data-emotion="${e}"]`);
      const v = p.probabilities[e] || 0;
      row.querySelector('.fill').style.width = (100 * v).toFixed(1) + '%';
      row.querySelector('.value').textContent = v.toFixed(2);
    }
  }

  function addToTimeline(p) {
    timeline.push({start_s: p.start_s, end_s: p.end_s, emotion: p.emotion});
    const li = document.createElement('li');
    li.textContent = `${p.start_s.toFixed(1)}–${p.end_s.toFixed(1)} s  ${p.emotion}  ${p.probabilities[p.emotion].toFixed(2)}`;
    li.dataset.emotion = p.emotion;
    $('log').prepend(li);
    while ($('log').children.length > 200) $('log').lastChild.remove();
    draw();
  }

  function draw() {
    const c = $('timeline');
    const g = c.getContext('2d');
    g.clearRect(0, 0, c.width, c.height);
    if (!timeline.length) return;
    const end = Math.max(...timeline.map(t => t.end_s));
    const span = Math.max(10, live ? Math.min(end, 60) : end); // live: the last minute
    const from = end - span;
    for (const t of timeline) {
      if (t.end_s < from) continue;
      // Overlapping windows: each draws its newest hop, so the strip reads left to right.
      g.fillStyle = COLORS[t.emotion];
      const x0 = (Math.max(t.start_s, from) - from) / span * c.width;
      const x1 = (t.end_s - from) / span * c.width;
      g.fillRect(x0, 8, Math.max(1, x1 - x0), c.height - 16);
    }
  }

  function reset() {
    timeline = [];
    $('log').innerHTML = '';
    draw();
  }

  async function record() {
    reset();
    $('record').disabled = true;
    $('stop').disabled = false;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({audio: {echoCancellation: false, noiseSuppression: false, autoGainControl: false}});
      const ctx = new AudioContext();
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      const ws = new WebSocket(`${proto}//${location.host}/v1/stream`);
      ws.binaryType = 'arraybuffer';
      live = {ws, ctx, stream, node: null};
      ws.onopen = () => ws.send(JSON.stringify({type: 'start', sample_rate: ctx.sampleRate, format: 'float32', token: token() || undefined}));
      ws.onmessage = async ev => {
        const m = JSON.parse(ev.data);
        if (m.type === 'ready') {
          status(`streaming at ${ctx.sampleRate} Hz: a prediction on the last ${m.window_s} s every ${m.hop_s} s`);
          await tap(ctx, stream, ws);
        } else if (m.type === 'prediction') {
          show(m, `${m.start_s.toFixed(1)}–${m.end_s.toFixed(1)} s`);
          addToTimeline(m);
        } else if (m.type === 'busy') {
          status('server busy: a window was skipped');
        } else if (m.type === 'error') {
          status(m.error, true);
        }
      };
      ws.onclose = ev => { if (live && live.ws === ws) { stop(); if (ev.code !== 1000) status(`stream closed (${ev.code}) ${ev.reason}`, ev.code !== 1001); } };
      ws.onerror = () => status('stream failed', true);
    } catch (e) {
      status('microphone: ' + e.message, true);
      stop();
    }
  }

  async function tap(ctx, stream, ws) {
    const source = ctx.createMediaStreamSource(stream);
    const send = block => { if (ws.readyState === WebSocket.OPEN) ws.send(block.buffer); };
    if (ctx.audioWorklet) {
      await ctx.audioWorklet.addModule('pcm-worklet.js');
      const node = new AudioWorkletNode(ctx, 'pcm-tap');
      node.port.onmessage = ev => send(ev.data);
      source.connect(node);
      live.node = node;
    } else { // older browsers
      const node = ctx.createScriptProcessor(4096, 1, 1);
      node.onaudioprocess = ev => send(new Float32Array(ev.inputBuffer.getChannelData(0)));
      source.connect(node);
      node.connect(ctx.destination);
      live.node = node;
    }
  }

  function stop() {
    if (live) {
      const {ws, ctx, stream, node} = live;
      live = null;
      if (node) node.disconnect();
      stream.getTracks().forEach(t => t.stop());
      ctx.close();
      if (ws.readyState <= WebSocket.OPEN) ws.close(1000);
      status('stopped');
    }
    $('record').disabled = false;
    $('stop').disabled = true;
    draw();
  }

  async function post(path, file) {
    const r = await fetch(path, {method: 'POST', body: file, headers: {'Content-Type': file.type || 'application/octet-stream', ...authHeaders()}});
    const body = await r.json().catch(() => ({error: r.statusText}));
    if (!r.ok) throw new Error(`${r.status}: ${body.error}`);
    return body;
  }

  async function analyse(file) {
    stop();
    reset();
    status(`analysing ${file.name}…`);
    try {
      const whole = await post('/v1/predict', file);
      show(whole, `whole file, ${whole.duration_s.toFixed(1)} s`);
      const parts = await post('/v1/segments', file);
      parts.segments.forEach(addToTimeline);
      status(`${file.name}: ${whole.emotion}, ${parts.segments.length} segments`);
    } catch (e) {
      status(`${file.name}: ${e.message}`, true);
    }
  }

  async function loadModel() {
    const r = await fetch('/v1/model', {headers: authHeaders()});
    if (r.status === 401) {
      $('token-box').hidden = false;
      $('model').textContent = 'model: enter the token';
      return;
    }
    const m = await r.json();
    $('model').textContent = `model ${m.id} (${m.backend}, ${m.sample_rate} Hz)`;
  }

  buildBars();
  $('record').onclick = record;
  $('stop').onclick = stop;
  $('token').onchange = loadModel;
  $('file').onchange = ev => ev.target.files[0] && analyse(ev.target.files[0]);
  const drop = $('drop');
  drop.ondragover = ev => { ev.preventDefault(); drop.classList.add('over'); };
  drop.ondragleave = () => drop.classList.remove('over');
  drop.ondrop = ev => { ev.preventDefault(); drop.classList.remove('over'); if (ev.dataTransfer.files[0]) analyse(ev.dataTransfer.files[0]); };
  loadModel();
})();
