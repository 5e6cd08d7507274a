Attribute VB_Name = "RibbonMyAddin"
' PlanReport ribbon callbacks: one Sub per button of customUI.xml.
' The module stays ASCII (VBA stores source in the system code page), so the
' few Chinese messages are written as \uXXXX escapes and decoded by Zh().
Option Explicit
#Const App = "Microsoft Excel" ' the generated worksheet-function wrappers below test it, as xlwings' do

Sub Auto_Open()
    ' Runs when Excel loads the add-in: the function wizard's Chinese help for PLAN_RATE etc.
    RegisterPlanFunctions
End Sub

Sub GenerateReport(control As IRibbonControl)
    If Ready() Then RunPython "import addin.office.excel; addin.office.excel.generate_report()"
End Sub

Sub CheckData(control As IRibbonControl)
    If Ready() Then RunPython "import addin.office.excel; addin.office.excel.check_data()"
End Sub

Sub OpenReportFolder(control As IRibbonControl)
    If Ready() Then RunPython "import addin.office.excel; addin.office.excel.open_report_folder()"
End Sub

Sub Diagnose(control As IRibbonControl)
    If Ready() Then RunPython "import addin.office.excel; addin.office.excel.diagnose()"
End Sub

Private Function Ready() As Boolean
    ' Checked before RunPython, which walks ActiveWorkbook.Worksheets: with no workbook
    ' open, or a Protected View window in front (ActiveWorkbook is Nothing then too),
    ' that is runtime error 91 with a Debug button before any Chinese message.
    Dim protectedView As Object
    On Error Resume Next
    Set protectedView = Application.ActiveProtectedViewWindow
    On Error GoTo 0
    Ready = False
    If Not protectedView Is Nothing Then
        MsgBox Zh("\u5DE5\u4F5C\u7C3F\u5904\u4E8E\u201C\u53D7\u4FDD\u62A4\u7684\u89C6\u56FE\u201D\uFF0CPlanReport \u65E0\u6CD5\u8BFB\u53D6\u3002\u8BF7\u5148\u70B9\u51FB\u9EC4\u8272\u63D0\u793A\u680F\u4E2D\u7684\u201C\u542F\u7528\u7F16\u8F91\u201D\uFF0C\u518D\u70B9\u6B64\u6309\u94AE\u3002"), vbExclamation, Zh("\u8BA1\u5212\u6267\u884C\u62A5\u544A")
    ElseIf ActiveWorkbook Is Nothing Then
        MsgBox Zh("\u6CA1\u6709\u6253\u5F00\u7684\u5DE5\u4F5C\u7C3F\u3002\u8BF7\u5148\u6253\u5F00\u8981\u6838\u7B97\u7684\u5DE5\u4F5C\u7C3F\uFF0C\u518D\u70B9\u6B64\u6309\u94AE\u3002"), vbExclamation, Zh("\u8BA1\u5212\u6267\u884C\u62A5\u544A")
    Else
        Ready = PythonReady()
    End If
End Function

Private Function PythonReady() As Boolean
    ' xlwings would fall back to "python" on PATH and show an English console
    ' error; the interpreter written by "planreport excel install" is checked
    ' here so the statistician gets a Chinese message that says what to do.
    Dim interpreter As String
    #If Mac Then
        interpreter = GetConfig("INTERPRETER_MAC", "")
    #Else
        interpreter = GetConfig("INTERPRETER_WIN", "")
    #End If
    If interpreter = "" Then interpreter = GetConfig("INTERPRETER", "")
    If interpreter = "" Then
        MsgBox Zh("\u672A\u914D\u7F6E Python \u89E3\u91CA\u5668\u3002\u8BF7\u5728\u547D\u4EE4\u63D0\u793A\u7B26\u4E2D\u8FD0\u884C planreport excel install\uFF0C\u7136\u540E\u91CD\u65B0\u542F\u52A8 Excel\u3002"), vbExclamation, Zh("\u8BA1\u5212\u6267\u884C\u62A5\u544A")
        PythonReady = False
    ElseIf Not FileExists(interpreter) Then
        MsgBox Zh("\u627E\u4E0D\u5230\u914D\u7F6E\u7684 Python \u89E3\u91CA\u5668\uFF1A") & interpreter & Zh("\u3002\u8BF7\u91CD\u65B0\u8FD0\u884C planreport excel install\u3002"), vbExclamation, Zh("\u8BA1\u5212\u6267\u884C\u62A5\u544A")
        PythonReady = False
    Else
        PythonReady = True
    End If
End Function

Private Function Zh(ByVal s As String) As String
    Dim i As Long, out As String
    i = 1
    Do While i <= Len(s)
        If Mid$(s, i, 2) = "\u" And i + 5 <= Len(s) Then
            out = out & ChrW(CLng("&H" & Mid$(s, i + 2, 4)))
            i = i + 6
        Else
            out = out & Mid$(s, i, 1)
            i = i + 1
        End If
    Loop
    Zh = out
End Function
