import { useId, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useI18n } from '../i18n/i18n.tsx';

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
                dialog.current?.close();
                onConfirm();
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
