/*
 * The login prompt shown when the server answers 401 (JWT authentication on): a modal dialog asking for the access
 * token. Resolves to the token typed, or null when the user cancels. The token handling is in auth.js.
 */

/** Shows the prompt with the server's reason; one dialog at a time (AccessToken.renew asks only once). */
export function askToken(doc, why) {
  return new Promise((resolve) => {
    const dialog = doc.createElement('dialog');
    dialog.className = 'login';
    dialog.innerHTML = '<form method="dialog">'
      + '<h2>Sign in</h2><p class="login-why"></p>'
      + '<label>Access token <input name="token" type="password" autocomplete="off" spellcheck="false"></label>'
      + '<div class="login-buttons"><button type="submit" value="cancel" formnovalidate>Cancel</button>'
      + '<button type="submit" value="ok" class="primary">Sign in</button></div></form>';
    dialog.querySelector('.login-why').textContent = why;
    const input = dialog.querySelector('input');
    dialog.addEventListener('close', () => {
      const token = dialog.returnValue === 'ok' ? input.value.trim() : '';
      dialog.remove();
      resolve(token || null);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        dialog.close('ok');
      }
    });
    doc.body.appendChild(dialog);
    dialog.showModal();
    input.focus();
  });
}
