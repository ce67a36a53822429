// Before joining: the camera's picture, the microphone's level, the choice of camera, microphone
// and speakers, joining with either off — and, when a device is missing or refused, what that
// means in plain words (one can still join with sound only, or to watch and listen).
import { useEffect, useRef, useState } from 'preact/hooks';
import { SelectField } from '../../components/Field';
import { formatNumber, t, tMaybe, tPlural } from '../../lib/i18n';
import { webrtcSupported } from '../../lib/janus';
import {
  captureBoth, captureCamera, captureMic, deviceProblem, devicesSupported, mediaApi, speakerChoiceSupported, type DeviceProblem,
  type LocalMedia, type MediaLive,
} from '../../lib/media';
import { deviceOf, MicMeter, useDeviceLists, useMicLevel, VideoView } from './av';

export interface JoinChoice {
  local: LocalMedia;
  speakerId: string;
  cameraId: string;
}

const HEARD_LEVEL = 30;

export function PreJoin({ roomId, onJoin }: { roomId: string; onJoin: (choice: JoinChoice) => void }) {
  const [mic, setMic] = useState<MediaStreamTrack | null>(null);
  const [camera, setCamera] = useState<MediaStreamTrack | null>(null);
  const [micProblem, setMicProblem] = useState<DeviceProblem | null>(null);
  const [cameraProblem, setCameraProblem] = useState<DeviceProblem | null>(null);
  const [asking, setAsking] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const [cameraOff, setCameraOff] = useState(false);
  const [micOff, setMicOff] = useState(false);
  const [cameraId, setCameraId] = useState('');
  const [speakerId, setSpeakerId] = useState('');
  const [heard, setHeard] = useState(false);
  const [live, setLive] = useState<MediaLive | null>(null);
  const handedOver = useRef(false);
  const tracks = useRef({ mic, camera });
  tracks.current = { mic, camera };
  const lists = useDeviceLists(`${attempt}/${mic?.id ?? ''}/${camera?.id ?? ''}`);
  const level = useMicLevel(micOff ? null : mic);
  const supported = webrtcSupported();

  useEffect(() => {
    if (level >= HEARD_LEVEL) setHeard(true);
  }, [level >= HEARD_LEVEL]);

  // Ask for both devices at first, and again on "Ask again".
  useEffect(() => {
    let current = true;
    setAsking(true);
    tracks.current.mic?.stop();
    tracks.current.camera?.stop();
    void captureBoth().then((got) => {
      if (!current) {
        got.mic?.stop();
        got.camera?.stop();
        return;
      }
      setMic(got.mic);
      setCamera(got.camera);
      setCameraId(deviceOf(got.camera));
      setMicProblem(got.micProblem);
      setCameraProblem(got.cameraProblem);
      setAsking(false);
    });
    return () => {
      current = false;
    };
  }, [attempt]);

  // Released when leaving this screen, unless they went on into the meeting.
  useEffect(
    () => () => {
      if (handedOver.current) return;
      tracks.current.mic?.stop();
      tracks.current.camera?.stop();
    },
    [],
  );

  // Who is in already (and whether it is recorded); nothing is said when this is not allowed.
  useEffect(() => {
    mediaApi
      .live(roomId)
      .then(setLive)
      .catch(() => setLive(null));
  }, [roomId]);

  const chooseCamera = async (id: string) => {
    setCameraId(id);
    if (cameraOff) return;
    try {
      const track = await captureCamera(id || undefined);
      tracks.current.camera?.stop();
      setCamera(track);
      setCameraProblem(null);
    } catch (error) {
      setCameraProblem(deviceProblem(error));
    }
  };
  const chooseMic = async (id: string) => {
    try {
      const track = await captureMic(id || undefined);
      tracks.current.mic?.stop();
      setMic(track);
      setMicProblem(null);
      setHeard(false);
    } catch (error) {
      setMicProblem(deviceProblem(error));
    }
  };
  // Camera off releases the camera (its light goes out); on takes it again.
  const toggleCameraOff = async (off: boolean) => {
    setCameraOff(off);
    if (off) {
      tracks.current.camera?.stop();
      setCamera(null);
    } else if (!tracks.current.camera && !cameraProblem) {
      try {
        setCamera(await captureCamera(cameraId || undefined));
      } catch (error) {
        setCameraProblem(deviceProblem(error));
      }
    }
  };

  const join = () => {
    handedOver.current = true;
    const cam = cameraOff ? null : camera;
    onJoin({
      local: { mic, camera: cam, micOn: !!mic && !micOff, cameraOn: !!cam },
      speakerId,
      cameraId: deviceOf(cam) || cameraId,
    });
  };

  const label = (d: MediaDeviceInfo, key: 'media.camera_n' | 'media.mic_n' | 'media.speaker_n', i: number) =>
    d.label || t(key, { n: formatNumber(i + 1) });
  const problems = [
    cameraProblem && tMaybe(`media.camera_problem.${cameraProblem}`),
    micProblem && tMaybe(`media.mic_problem.${micProblem}`),
  ].filter(Boolean) as string[];
  const others = live?.participants.length ?? null;

  return (
    <section class="card prejoin" aria-labelledby="media-prejoin-title" id="media-prejoin">
      <h2 id="media-prejoin-title">{t('media.prejoin_title')}</h2>
      <p class="muted">{t('media.prejoin_intro')}</p>
      {live?.recording ? (
        <p class="call-recording" id="media-recording-prejoin">
          <span class="call-recording__dot" aria-hidden="true" />
          {t('media.recording')}
        </p>
      ) : null}
      <p role="status" class="prejoin__status">
        {asking && devicesSupported() ? t('media.asking_devices') : heard ? t('media.heard') : ''}
      </p>
      {!supported && (
        <div class="notice notice--warning" id="media-no-webrtc">
          <p>{t('media.no_webrtc')}</p>
        </div>
      )}
      <div class="prejoin__grid">
        <div class="prejoin__preview">
          <div class="tile tile--self tile--preview">
            <VideoView track={cameraOff ? null : camera} class="media-self media-self--mirror" id="media-preview" />
            {(cameraOff || !camera) && (
              <div class="tile__placeholder">
                <span>{asking ? t('common.loading') : t('media.preview_off')}</span>
              </div>
            )}
          </div>
          <p class="visually-hidden">{camera && !cameraOff ? t('media.preview_label') : t('media.preview_off')}</p>
        </div>
        <div class="prejoin__settings">
          {lists.cameras.length > 0 && (
            <SelectField
              id="media-camera-select"
              label={t('media.camera')}
              value={cameraId || deviceOf(camera)}
              onValue={(v) => void chooseCamera(v)}
              options={lists.cameras.map((d, i) => ({ value: d.deviceId, label: label(d, 'media.camera_n', i) }))}
            />
          )}
          {lists.mics.length > 0 && (
            <SelectField
              id="media-mic-select"
              label={t('media.microphone')}
              value={deviceOf(mic)}
              onValue={(v) => void chooseMic(v)}
              options={lists.mics.map((d, i) => ({ value: d.deviceId, label: label(d, 'media.mic_n', i) }))}
            />
          )}
          {mic && (
            <div class="field">
              <p class="field__label" id="media-level-label">
                {t('media.level')}
              </p>
              <p class="field__hint">{t('media.level_hint')}</p>
              <MicMeter level={micOff ? 0 : level} id="media-level" />
            </div>
          )}
          {speakerChoiceSupported() && lists.speakers.length > 0 ? (
            <SelectField
              id="media-speaker-select"
              label={t('media.speakers')}
              value={speakerId}
              onValue={setSpeakerId}
              options={[
                { value: '', label: t('media.default_device') },
                ...lists.speakers.filter((d) => d.deviceId !== 'default').map((d, i) => ({ value: d.deviceId, label: label(d, 'media.speaker_n', i) })),
              ]}
            />
          ) : (
            <p class="muted">{t('media.speakers_hint')}</p>
          )}
          <ul class="checkboxes">
            {(camera || cameraOff) && (
              <li class="checkbox">
                <input type="checkbox" id="media-join-camera-off" checked={cameraOff} onChange={(e) => void toggleCameraOff((e.currentTarget as HTMLInputElement).checked)} />
                <label for="media-join-camera-off">{t('media.join_camera_off')}</label>
              </li>
            )}
            {mic && (
              <li class="checkbox">
                <input type="checkbox" id="media-join-mic-off" checked={micOff} onChange={(e) => setMicOff((e.currentTarget as HTMLInputElement).checked)} />
                <label for="media-join-mic-off">{t('media.join_mic_off')}</label>
              </li>
            )}
          </ul>
        </div>
      </div>
      {problems.length > 0 && (
        <div class="notice notice--warning" id="media-device-problems">
          {problems.map((text) => (
            <p key={text}>{text}</p>
          ))}
        </div>
      )}
      {!asking && !mic && !camera && supported && (
        <p class="notice notice--info" id="media-watch-only">
          {t('media.watch_only')}
        </p>
      )}
      {others !== null && (
        <p class="muted" id="media-present">
          {others === 0 ? t('media.nobody_yet') : tPlural('media.in_meeting', others)}
        </p>
      )}
      <div class="button-row">
        {/* Not while the browser is still asked for the devices: joining then would go in without them. */}
        <button type="button" class="button prejoin__join" id="media-join" disabled={!supported || (asking && devicesSupported())} onClick={join}>
          {t('media.join')}
        </button>
        {(cameraProblem || micProblem) && (
          <button type="button" class="button button--secondary" id="media-ask-again" disabled={asking} onClick={() => setAttempt((n) => n + 1)}>
            {t('media.try_devices')}
          </button>
        )}
      </div>
    </section>
  );
}
