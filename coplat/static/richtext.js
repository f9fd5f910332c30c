// Rich-text minutes without a third-party editor: each <textarea data-richtext> gets
// an editable area and a small toolbar; the textarea keeps the HTML and is what the
// form sends. The server sanitises whatever arrives, so this is only a convenience;
// without JavaScript the plain textarea works.
document.addEventListener("DOMContentLoaded", () => {
  const template = document.getElementById("richtext-toolbar");
  document.querySelectorAll("textarea[data-richtext]").forEach((textarea) => {
    const label = document.querySelector(`label[for="${textarea.id}"]`);
    const editor = document.createElement("div");
    editor.className = "richtext-editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (label) {
      label.id = label.id || `${textarea.id}-label`;
      editor.setAttribute("aria-labelledby", label.id);
    }
    editor.innerHTML = textarea.value;
    const toolbar = template.content.firstElementChild.cloneNode(true);
    toolbar.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-command]");
      if (!button) return;
      editor.focus();
      let value = button.dataset.value || null;
      if (button.dataset.prompt) {
        value = window.prompt(button.dataset.prompt, "https://");
        if (!value) return;
      }
      document.execCommand(button.dataset.command, false, value);
      textarea.value = editor.innerHTML;
    });
    editor.addEventListener("input", () => { textarea.value = editor.innerHTML; });
    textarea.hidden = true;
    textarea.after(toolbar, editor);
  });
});
