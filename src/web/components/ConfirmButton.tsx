import { useId, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useI18n } from '../i18n/i18n.tsx';

/** How long the dialog stays after the yes: longer than a double-click's second click. */
const CLOSE_AFTER_MS = 400;

/**
 * A button for an action that cannot be undone: it asks first in a modal dialog, whose focus
 * starts on going back (Escape goes back too), and acts only on the explicit yes.
 */
export function ConfirmButton({
  label,
  question,
  yes,
  onConfirm,
  disabled = false,
}: {
  label: string;
  question: string;
  yes: string;
  onConfirm: () => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const confirming = useRef(false);
  const id = useId();
  return (
    <>
      <button
        type="button"
        disabled={disabled}
        aria-haspopup="dialog"
        onClick={() => dialog.current?.showModal()}
      >
        {label}
      </button>
      {createPortal(
        <dialog ref={dialog} className="confirm card" aria-labelledby={id}>
          <p id={id}>{question}</p>
          <div className="actions">
            <button type="button" autoFocus onClick={() => dialog.current?.close()}>
              {t('confirm.back')}
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                // The second click of a double-click lands here too, not on the page beneath
                // once the dialog has closed: the dialog stays a moment, and acts once.
                if (confirming.current) return;
                confirming.current = true;
                onConfirm();
                setTimeout(() => {
                  dialog.current?.close();
                  confirming.current = false;
                }, CLOSE_AFTER_MS);
              }}
            >
              {yes}
            </button>
          </div>
        </dialog>,
        document.body,
      )}
    </>
  );
}
