// "Copy" buttons (data-copy="<input id>"): shown only when the clipboard can be written; without JavaScript the
// read-only field is there to select and copy by hand.
(() => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const field = document.getElementById(button.dataset.copy);
    const status = button.closest('div.mb-3')?.querySelector('[data-copy-status]');
    if (!field) continue;
    button.classList.remove('d-none');
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        if (status) status.textContent = 'Copied.';
      } catch {
        field.select();
        if (status) status.textContent = 'Press Ctrl+C (or ⌘C) to copy.';
      }
    });
  }
  for (const field of document.querySelectorAll('input[readonly][id]'))
    field.addEventListener('focus', () => field.select());
})();
