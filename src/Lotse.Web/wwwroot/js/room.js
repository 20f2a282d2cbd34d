// The appointment room: waiting room, 1:1 WebRTC call (peer to peer) and a text chat, signalled over the
// room hub. The server checks membership and the opening time on every message; this script only drives the page.
// Nothing is recorded: chat lines live in this page only. All texts come from the server (localized) in data-*.
(() => {
    "use strict";

    // Before the room opens the page only waits, and reloads once the opening time has come.
    const shut = document.querySelector("[data-opens-at]");
    if (shut) {
        const opensAt = Date.parse(shut.dataset.opensAt);
        if (!Number.isNaN(opensAt)) {
            // If the browser's clock runs ahead of the server's, the reloaded page still says "not yet": then it tries every 5 s.
            const wait = Math.min(Math.max(opensAt - Date.now() + 1000, 5000), 86400000);
            setTimeout(() => window.location.reload(), wait);
        }
    }

    const host = document.getElementById("room-live");
    if (!host || !window.signalR) {
        return;
    }

    const appointmentId = host.dataset.appointment;
    const isCounsellor = host.dataset.role === "counsellor";
    const text = (name) => host.dataset["text" + name] || "";
    let iceServers = [];
    try {
        iceServers = JSON.parse(host.dataset.iceServers || "[]");
    } catch {
        iceServers = [];
    }

    const $ = (selector) => host.querySelector(selector);
    const remoteVideo = $("[data-remote-video]");
    const localVideo = $("[data-local-video]");
    const remotePlaceholder = $("[data-remote-placeholder]");
    const remoteCameraOff = $("[data-remote-camera-off]");
    const remoteMicrophoneOff = $("[data-remote-microphone-off]");
    const localCameraOff = $("[data-local-camera-off]");
    const playButton = $("[data-action=play]");
    const cameraButton = $("[data-toggle=camera]");
    const microphoneButton = $("[data-toggle=microphone]");
    const errorBox = $("[data-room-error]");
    const mediaNote = $("[data-media-note]");
    const liveNote = $("[data-live-note]");
    const chatLog = $("[data-chat-log]");
    const chatForm = $("[data-chat-form]");
    const chatText = chatForm.querySelector("textarea");
    const chatSend = chatForm.querySelector("button[type=submit]");
    const chatError = $("[data-chat-error]");
    const chatHint = $("[data-chat-hint]");

    const state = { self: "connecting", other: "absent" };
    let localStream = null;
    let pc = null;
    let pendingCandidates = [];
    let remoteMedia = { camera: true, microphone: true };

    const bothIn = () => state.self === "inRoom" && state.other === "inRoom";

    function render() {
        host.dataset.self = state.self;
        host.dataset.other = state.other;
        const chatOpen = bothIn();
        chatText.disabled = !chatOpen;
        chatSend.disabled = !chatOpen;
        chatHint.hidden = chatOpen;
        const hasVideo = !!remoteVideo.srcObject && remoteVideo.srcObject.getVideoTracks().length > 0;
        remotePlaceholder.hidden = hasVideo || !remoteMedia.camera;
        remoteCameraOff.hidden = remoteMedia.camera;
        remoteMicrophoneOff.hidden = remoteMedia.microphone;
    }

    function showError(message) {
        errorBox.textContent = message || text("Error");
        errorBox.hidden = false;
    }

    function clearError() {
        errorBox.hidden = true;
        errorBox.textContent = "";
    }

    // The server's German (or English) sentence travels inside the exception text after "HubException: ".
    function hubMessage(error) {
        const message = String((error && error.message) || "");
        const at = message.indexOf("HubException: ");
        return at >= 0 ? message.slice(at + "HubException: ".length) : text("Error");
    }

    // ---- Camera and microphone ----

    async function startMedia() {
        if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
            noMedia();
            return;
        }
        for (const constraints of [{ audio: true, video: true }, { audio: true }, { video: true }]) {
            try {
                localStream = await navigator.mediaDevices.getUserMedia(constraints);
                break;
            } catch {
                localStream = null;
            }
        }
        if (!localStream) {
            noMedia();
            return;
        }
        localVideo.srcObject = localStream;
        updateToggles();
    }

    function noMedia() {
        mediaNote.hidden = false;
        localCameraOff.hidden = false;
        updateToggles();
    }

    const track = (kind) => (localStream ? localStream.getTracks().find((t) => t.kind === kind) : undefined);

    function updateToggles() {
        for (const [button, kind, name] of [[cameraButton, "video", "Camera"], [microphoneButton, "audio", "Microphone"]]) {
            const t = track(kind);
            button.disabled = !t;
            const on = !!t && t.enabled;
            button.textContent = on ? text(name + "On") : text(name + "Off");
            button.dataset.on = on ? "true" : "false";
        }
        const camera = track("video");
        localCameraOff.hidden = !!camera && camera.enabled;
    }

    function toggle(kind) {
        const t = track(kind);
        if (!t) {
            return;
        }
        t.enabled = !t.enabled;
        updateToggles();
        sendMediaState();
    }

    function sendMediaState() {
        if (!bothIn()) {
            return;
        }
        const camera = track("video");
        const microphone = track("audio");
        connection.invoke("MediaState", appointmentId, { camera: !!camera && camera.enabled, microphone: !!microphone && microphone.enabled })
            .catch(() => { /* only an indicator; the next change sends it again */ });
    }

    // ---- The call ----

    function newPeer() {
        const peer = new RTCPeerConnection({ iceServers });
        peer.onicecandidate = (event) => {
            if (event.candidate) {
                connection.invoke("IceCandidate", appointmentId, event.candidate.toJSON()).catch(() => { /* the call may have ended */ });
            }
        };
        peer.ontrack = (event) => {
            const stream = event.streams[0] || new MediaStream([event.track]);
            if (remoteVideo.srcObject !== stream) {
                remoteVideo.srcObject = stream;
            }
            event.track.addEventListener("unmute", render);
            play();
            render();
        };
        peer.onconnectionstatechange = () => {
            if (peer !== pc) {
                return;
            }
            liveNote.textContent = peer.connectionState === "failed" || peer.connectionState === "disconnected" ? text("PeerLost") : "";
        };
        return peer;
    }

    function play() {
        const attempt = remoteVideo.play();
        if (attempt && attempt.catch) {
            // Autoplay with sound can be refused without a click on the page (e.g. with chat only): offer a button.
            attempt.then(() => { playButton.hidden = true; }).catch(() => { playButton.hidden = false; });
        }
    }

    function hangUp() {
        if (pc) {
            pc.ontrack = null;
            pc.onicecandidate = null;
            pc.close();
            pc = null;
        }
        pendingCandidates = [];
        remoteVideo.srcObject = null;
        playButton.hidden = true;
        remoteMedia = { camera: true, microphone: true };
        liveNote.textContent = "";
    }

    // The counsellor calls: after admitting, and again whenever the client comes back into the room.
    async function call() {
        hangUp();
        const peer = (pc = newPeer());
        if (localStream) {
            for (const t of localStream.getTracks()) {
                peer.addTrack(t, localStream);
            }
        }
        // Receive picture and sound even without an own camera or microphone.
        for (const kind of ["audio", "video"]) {
            if (!track(kind)) {
                peer.addTransceiver(kind, { direction: "recvonly" });
            }
        }
        await peer.setLocalDescription(await peer.createOffer());
        if (peer === pc) {
            await connection.invoke("Offer", appointmentId, peer.localDescription.sdp);
        }
    }

    async function onOffer(sdp) {
        hangUp();
        const peer = (pc = newPeer());
        await peer.setRemoteDescription({ type: "offer", sdp });
        // Added after the offer, the tracks take the offer's transceivers and are sent back on them.
        if (localStream) {
            for (const t of localStream.getTracks()) {
                peer.addTrack(t, localStream);
            }
        }
        await flushCandidates(peer);
        await peer.setLocalDescription(await peer.createAnswer());
        if (peer === pc) {
            await connection.invoke("Answer", appointmentId, peer.localDescription.sdp);
        }
    }

    async function onAnswer(sdp) {
        if (pc && pc.signalingState === "have-local-offer") {
            const peer = pc;
            await peer.setRemoteDescription({ type: "answer", sdp });
            await flushCandidates(peer);
        }
    }

    async function onCandidate(candidate) {
        if (!pc || !pc.remoteDescription) {
            pendingCandidates.push(candidate);
            return;
        }
        await pc.addIceCandidate(candidate).catch(() => { /* a candidate of an earlier call */ });
    }

    async function flushCandidates(peer) {
        const waiting = pendingCandidates;
        pendingCandidates = [];
        for (const candidate of waiting) {
            await peer.addIceCandidate(candidate).catch(() => { /* a candidate of an earlier call */ });
        }
    }

    function onMediaState(media) {
        remoteMedia = { camera: !!media.camera, microphone: !!media.microphone };
        render();
    }

    // ---- Presence ----

    function applySnapshot(snapshot) {
        if (!snapshot) {
            return;
        }
        const wasBothIn = bothIn();
        if (["connecting", "waiting", "inRoom"].includes(state.self)) {
            state.self = isCounsellor ? snapshot.counsellor : snapshot.client;
        }
        state.other = isCounsellor ? snapshot.client : snapshot.counsellor;
        if (wasBothIn && !bothIn()) {
            hangUp();
        }
        if (!wasBothIn && bothIn()) {
            sendMediaState();
            if (isCounsellor) {
                call().catch((error) => showError(hubMessage(error)));
            }
        }
        render();
    }

    // ---- Chat ----

    function addChat(mine, message) {
        const item = document.createElement("li");
        item.className = "chat__message" + (mine ? " chat__message--mine" : "");
        item.dataset.from = mine ? "me" : "other";
        const meta = document.createElement("span");
        meta.className = "chat__meta";
        const time = new Date().toLocaleTimeString(document.documentElement.lang || "de", { hour: "2-digit", minute: "2-digit" });
        meta.textContent = (mine ? text("You") : text("Other")) + " · " + time;
        const body = document.createElement("p");
        body.className = "chat__text";
        body.textContent = message; // plain text, never markup
        item.append(meta, body);
        chatLog.append(item);
        chatLog.scrollTop = chatLog.scrollHeight;
    }

    async function sendChat(event) {
        event.preventDefault();
        const message = chatText.value.trim();
        if (!message || !bothIn()) {
            return;
        }
        chatError.textContent = "";
        chatSend.disabled = true;
        try {
            await connection.invoke("ChatMessage", appointmentId, message);
            addChat(true, message);
            chatText.value = "";
        } catch (error) {
            chatError.textContent = hubMessage(error);
        } finally {
            render();
            chatText.focus();
        }
    }

    // ---- Connection ----

    const connection = new signalR.HubConnectionBuilder()
        .withUrl("/hubs/raum")
        .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 30000])
        .build();

    connection.on("presence", applySnapshot);
    connection.on("offer", (sdp) => onOffer(sdp).catch((error) => showError(hubMessage(error))));
    connection.on("answer", (sdp) => onAnswer(sdp).catch(() => showError(text("Error"))));
    connection.on("iceCandidate", (candidate) => { onCandidate(candidate); });
    connection.on("chatMessage", (message) => addChat(false, message));
    connection.on("mediaState", onMediaState);
    connection.on("replaced", () => stop("replaced"));
    connection.onreconnecting(() => { liveNote.textContent = text("Reconnecting"); });
    connection.onreconnected(async () => {
        liveNote.textContent = "";
        hangUp();
        // A new connection joins afresh; the snapshot it gets back starts a new call.
        state.self = "connecting";
        state.other = "absent";
        await join();
    });
    connection.onclose(() => {
        if (["connecting", "waiting", "inRoom"].includes(state.self)) {
            hangUp();
            state.self = "error";
            showError(text("Error"));
            render();
        }
    });

    async function join() {
        try {
            applySnapshot(await connection.invoke("Join", appointmentId));
            clearError();
        } catch (error) {
            state.self = "error";
            showError(hubMessage(error));
            render();
        }
    }

    function stop(reason) {
        state.self = reason;
        hangUp();
        if (localStream) {
            for (const t of localStream.getTracks()) {
                t.stop();
            }
        }
        render();
        connection.stop();
    }

    async function leave() {
        try {
            await connection.invoke("Leave", appointmentId);
        } catch {
            // Leaving never fails for the person: closing the connection tells the other side as well.
        }
        stop("left");
    }

    const admitButton = $("[data-action=admit]");
    admitButton?.addEventListener("click", async () => {
        admitButton.disabled = true;
        try {
            applySnapshot(await connection.invoke("Admit", appointmentId));
            clearError();
        } catch (error) {
            showError(hubMessage(error));
        } finally {
            admitButton.disabled = false;
        }
    });
    $("[data-action=leave]").addEventListener("click", leave);
    playButton.addEventListener("click", play);
    cameraButton.addEventListener("click", () => toggle("video"));
    microphoneButton.addEventListener("click", () => toggle("audio"));
    chatForm.addEventListener("submit", sendChat);
    chatText.addEventListener("keydown", (event) => {
        // Enter sends, Shift+Enter starts a new line.
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            chatForm.requestSubmit();
        }
    });

    // When the time is up the server refuses every message; the page says so instead of failing quietly.
    const closesAt = Date.parse(host.dataset.closesAt);
    if (!Number.isNaN(closesAt)) {
        setTimeout(() => { leave().then(() => { state.self = "closed"; render(); }); }, Math.min(Math.max(closesAt - Date.now(), 0), 86400000));
    }

    async function start() {
        render();
        await startMedia();
        try {
            await connection.start();
        } catch {
            state.self = "error";
            showError(text("Error"));
            render();
            return;
        }
        await join();
    }

    start();
})();
