import { defineMessages } from '../core/i18n';

export const uiMessages = defineMessages({
  en: {
    copy: 'Copy',
    copied: 'Copied to the clipboard.',
    copyFailed: 'Could not copy: select the key and copy it by hand.',
    keyOnceTitle: 'The key — shown only this once',
    keyOnceWarning:
      'Copy this key now and keep it somewhere safe. It cannot be shown again: if it is lost, an administrator must issue a new one.',
    keyLabel: 'API key',
    keyStored: 'I have stored the key',
    conflictTitle: 'Someone else changed this record',
    conflictBody:
      'While you were editing, the record was changed (for example by a colleague). Nothing you typed is lost: reload the record, check it, then save again.',
    conflictInactive: 'The record is no longer active, so it cannot be changed this way.',
    reload: 'Reload the record',
    reloaded: 'The current record is loaded. Your input is kept: check it and save again.',
    lastUpdated: 'Updated {time}',
  },
  'zh-CN': {
    copy: '复制',
    copied: '已复制到剪贴板。',
    copyFailed: '无法复制：请选中密钥后手动复制。',
    keyOnceTitle: '密钥——仅显示这一次',
    keyOnceWarning: '请立即复制并妥善保存此密钥。它不会再次显示：如果丢失，只能由管理员重新签发。',
    keyLabel: 'API 密钥',
    keyStored: '我已保存密钥',
    conflictTitle: '此记录已被他人修改',
    conflictBody:
      '在您编辑期间，记录已被修改（例如被同事修改）。您输入的内容不会丢失：请重新加载记录，核对后再次保存。',
    conflictInactive: '该记录已不在册，不能这样修改。',
    reload: '重新加载记录',
    reloaded: '已加载当前记录。您的输入仍保留：请核对后再次保存。',
    lastUpdated: '更新于 {time}',
  },
});
