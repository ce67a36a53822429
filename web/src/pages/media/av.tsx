// Small pieces of the call pages: a <video> or <audio> element fed by a track, the microphone's
// level (Web Audio) as a meter, the list of devices, and the control icons.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../lib/i18n';
import { speakerChoiceSupported } from '../../lib/media';

/** A picture from a track; decorative for screen readers (the tile says whose it is). */
export function VideoView({ track, class: cls, id }: { track: MediaStreamTrack | null; class: string; id?: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    const current = video.srcObject instanceof MediaStream ? video.srcObject.getVideoTracks()[0] : null;
    if (current === (track ?? null) && current) return;
    video.srcObject = track ? new MediaStream([track]) : null;
    if (track) video.play().catch(() => undefined);
  }, [track]);
  return <video ref={ref} id={id} class={cls} autoplay playsInline muted aria-hidden="true" />;
}

type SinkElement = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };

/** Plays one person's sound, on the chosen speakers where the browser allows choosing. */
export function AudioOut({ track, sinkId, onBlocked }: { track: MediaStreamTrack; sinkId: string; onBlocked: () => void }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    audio.srcObject = new MediaStream([track]);
    // Autoplay may be refused until the person has clicked in the page: the page offers a button.
    audio.play().catch(() => onBlocked());
  }, [track]);
  useEffect(() => {
    const audio = ref.current as SinkElement | null;
    if (audio?.setSinkId && speakerChoiceSupported()) audio.setSinkId(sinkId).catch(() => undefined);
  }, [sinkId, track]);
  return <audio ref={ref} autoplay class="media-audio" />;
}

/** Plays every audio element of the page again (after a click that allows sound). */
export function playAllAudio(): void {
  for (const audio of document.querySelectorAll<HTMLAudioElement>('audio.media-audio')) audio.play().catch(() => undefined);
}

// ---------------------------------------------------------------- devices

export interface DeviceLists {
  cameras: MediaDeviceInfo[];
  mics: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

/** The devices (with names once a permission was given), kept current when one is plugged in. */
export function useDeviceLists(again: unknown): DeviceLists {
  const [lists, setLists] = useState<DeviceLists>({ cameras: [], mics: [], speakers: [] });
  useEffect(() => {
    const devices = navigator.mediaDevices;
    if (!devices?.enumerateDevices) return;
    let live = true;
    const read = () =>
      devices
        .enumerateDevices()
        .then((all) => {
          if (!live) return;
          const of = (kind: MediaDeviceKind) => all.filter((d) => d.kind === kind && d.deviceId);
          setLists({ cameras: of('videoinput'), mics: of('audioinput'), speakers: of('audiooutput') });
        })
        .catch(() => undefined);
    void read();
    devices.addEventListener('devicechange', read);
    return () => {
      live = false;
      devices.removeEventListener('devicechange', read);
    };
  }, [again]);
  return lists;
}

/** The deviceId of a track (what the select shows as chosen). */
export const deviceOf = (track: MediaStreamTrack | null) => track?.getSettings().deviceId ?? '';

// ---------------------------------------------------------------- the microphone's level

/** 0–100, about ten times a second, from an AnalyserNode on the track (0 without one). */
export function useMicLevel(track: MediaStreamTrack | null): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    setLevel(0);
    if (!track || typeof AudioContext === 'undefined') return;
    let context: AudioContext;
    try {
      context = new AudioContext();
    } catch {
      return;
    }
    const source = context.createMediaStreamSource(new MediaStream([track]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    let last = 0;
    const tick = (now: number) => {
      frame = requestAnimationFrame(tick);
      if (now - last < 100) return;
      last = now;
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const rms = Math.sqrt(sum / samples.length);
      // Speech sits around 0.02–0.2 RMS: a logarithmic scale makes the bar move visibly.
      const db = 20 * Math.log10(Math.max(rms, 1e-5));
      setLevel(Math.round(Math.min(100, Math.max(0, ((db + 60) / 60) * 100))));
    };
    // A context made before any click in the page starts suspended: the first click or key wakes it.
    const wake = () => void context.resume().catch(() => undefined);
    wake();
    window.addEventListener('pointerdown', wake, true);
    window.addEventListener('keydown', wake, true);
    frame = requestAnimationFrame(tick);
    return () => {
      window.removeEventListener('pointerdown', wake, true);
      window.removeEventListener('keydown', wake, true);
      cancelAnimationFrame(frame);
      source.disconnect();
      void context.close().catch(() => undefined);
    };
  }, [track]);
  return level;
}

/** The level as a bar (SVG: no style attributes under the CSP) and as an ARIA meter. */
export function MicMeter({ level, id }: { level: number; id: string }) {
  return (
    <div
      class="mic-meter"
      id={id}
      role="meter"
      aria-label={t('media.level')}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={level}
      aria-valuetext={t('media.level_text', { level })}
    >
      <svg class="mic-meter__bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <rect class="mic-meter__track" x="0" y="0" width="100" height="10" />
        <rect class="mic-meter__fill" x="0" y="0" width={level} height="10" />
      </svg>
    </div>
  );
}

// ---------------------------------------------------------------- icons

const PATHS = {
  mic: 'M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 6-6.9z',
  micOff:
    'M19 11h-2a5 5 0 0 1-.7 2.5l1.5 1.5A7 7 0 0 0 19 11zM15 11V5a3 3 0 0 0-5.9-.8L15 10.1zM4.3 3 3 4.3l6 6V11a3 3 0 0 0 4.4 2.7l1.6 1.6A5 5 0 0 1 7 11H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 3.4-1.3l3.3 3.3 1.3-1.3z',
  camera: 'M15 8v8H5V8zm1-2H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11l-4 4V7a1 1 0 0 0-1-1z',
  cameraOff:
    'M21 6.5l-4 4V7a1 1 0 0 0-1-1H9.8L21 17.2zM3.3 2 2 3.3 4.7 6H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12l.2-.1 3.5 3.5 1.3-1.3zM5 16V8h1.7l8 8z',
  screen: 'M20 3H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h5v2H7v1h10v-1h-2v-2h5a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2zm0 13H4V5h16zM12 6l-4 4h3v4h2v-4h3z',
  hand: 'M18 7a1.5 1.5 0 0 0-1.5 1.5V12H16V4.5a1.5 1.5 0 0 0-3 0V11h-.5V3.5a1.5 1.5 0 0 0-3 0V11H9V5.5a1.5 1.5 0 0 0-3 0v9.7l-2-2.1a1.5 1.5 0 0 0-2.2 2.1l4.6 5A6 6 0 0 0 10.8 22H14a5.5 5.5 0 0 0 5.5-5.5v-8A1.5 1.5 0 0 0 18 7z',
  layout: 'M3 3h8v8H3zm10 0h8v8h-8zM3 13h8v8H3zm10 0h8v8h-8z',
  speaker: 'M3 3h18v12H3zm0 14h5v4H3zm6.5 0h5v4h-5zm6.5 0h5v4h-5z',
  people:
    'M16 11a3 3 0 1 0-3-3 3 3 0 0 0 3 3zm-8 0a3 3 0 1 0-3-3 3 3 0 0 0 3 3zm0 2c-2.3 0-7 1.2-7 3.5V19h14v-2.5C15 14.2 10.3 13 8 13zm8 0h-1a4.2 4.2 0 0 1 2 3.5V19h6v-2.5c0-2.3-4.7-3.5-7-3.5z',
  chat: 'M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 2-2zm2 5v2h12V8zm0 4v2h8v-2z',
  leave:
    'M12 9c-1.6 0-3.2.3-4.6.7v3.1c0 .4-.2.7-.6.9a11 11 0 0 0-2.7 1.9.9.9 0 0 1-1.3 0L.3 13.1a.9.9 0 0 1 0-1.3A16.9 16.9 0 0 1 12 7a16.9 16.9 0 0 1 11.7 4.8.9.9 0 0 1 0 1.3l-2.5 2.5a.9.9 0 0 1-1.3 0 11 11 0 0 0-2.7-1.9.9.9 0 0 1-.6-.9V9.7A15 15 0 0 0 12 9z',
  pin: 'M16 3v2h-1v6l2 3v2h-4v5l-1 1-1-1v-5H7v-2l2-3V5H8V3z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} />
    </svg>
  );
}
